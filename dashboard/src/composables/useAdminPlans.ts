/**
 * Plans from the admin console (SPEC §14): the plans of the admin's scope with their progress, and
 * a new plan made through `POST /api/v1/plans`; its rule breaks come back per field (JSON pointers).
 */
import { ref, shallowRef } from 'vue';
import type { PlanInput, PlanProblem, PlansMessage, PlanView } from '@dudao/domain';
import { adminRequest, AdminApiError } from './useAdminAccess.ts';

export type CreateOutcome =
  | { ok: true; plan: PlanView }
  /** the service named the fields at fault (a taken id is a problem of `/id`) */
  | { ok: false; problems: PlanProblem[]; message: string };

export function useAdminPlans(scope: () => string) {
  const plans = shallowRef<PlanView[]>([]);
  const error = ref<AdminApiError | null>(null);

  async function refresh(): Promise<void> {
    try {
      const answer = await adminRequest<PlansMessage>('GET', `/api/v1/plans?scope=${scope()}`);
      plans.value = answer.plans;
      error.value = null;
    } catch (e) {
      error.value = e as AdminApiError;
    }
  }

  async function create(input: PlanInput): Promise<CreateOutcome> {
    try {
      const plan = await adminRequest<PlanView>('POST', '/api/v1/plans', input);
      await refresh();
      return { ok: true, plan };
    } catch (e) {
      if (!(e instanceof AdminApiError)) throw e;
      const problems: PlanProblem[] =
        e.status === 409 ? [{ path: '/id', message: e.message, code: 'id_taken' }] : e.details;
      return { ok: false, problems, message: e.message };
    }
  }

  return { plans, error, refresh, create };
}
