/**
 * One issue and what a supervisor does to it (SPEC §13): `GET /api/v1/issues/:issueId`, re-read
 * whenever its district moves (someone else acted, the school reported its fix), and
 * `POST /api/v1/issues/:issueId/actions`. Each confirmation carries one client-made id, kept until
 * the answer comes, so a double click or a retry is one action on the service.
 */
import { ref, toValue, watch, type MaybeRefOrGetter } from 'vue';
import type { IssueDetail } from '@dudao/domain';
import { actionBody, newActionId, type ActionForm, type IssueButton } from '../lib/issueActions.ts';
import { apiSend, useApi } from './useApi.ts';

/** What the action route answers: as `/events` does for one item. */
interface ActionAnswer {
  accepted: number;
  duplicates: number;
  rejected: { id: string; code: string; message: string }[];
}

export function useIssue(
  issueId: MaybeRefOrGetter<string | null>,
  districtVersion: MaybeRefOrGetter<number | null>,
) {
  const issue = useApi<IssueDetail>(() => {
    const id = toValue(issueId);
    return id ? `/api/v1/issues/${encodeURIComponent(id)}` : null;
  });
  watch(
    () => toValue(districtVersion),
    (v, old) => {
      if (v !== null && old !== null && v !== old) void issue.refresh();
    },
  );
  return issue;
}

export function useIssueActions(
  issueId: MaybeRefOrGetter<string | null>,
  timezone: MaybeRefOrGetter<string>,
  onDone: () => void,
) {
  const busy = ref(false);
  /** the service's reason when the last action was refused */
  const failure = ref<string | null>(null);
  /** the id of the action being confirmed: made when the form opens, spent when it is accepted */
  let pendingId: string | null = null;

  /** A button was pressed: a fresh action begins. */
  function begin() {
    pendingId = newActionId();
    failure.value = null;
  }

  /** Sends the confirmed action; true when the service took it (or already had it). */
  async function confirm(button: IssueButton, form: ActionForm): Promise<boolean> {
    const id = toValue(issueId);
    if (!id || busy.value) return false;
    pendingId ??= newActionId();
    busy.value = true;
    failure.value = null;
    try {
      const body = actionBody(button, pendingId, form, toValue(timezone));
      const result = await apiSend<ActionAnswer>(
        'POST',
        `/api/v1/issues/${encodeURIComponent(id)}/actions`,
        body,
      );
      const refused = result.rejected[0];
      if (refused) {
        failure.value = refused.message;
        pendingId = null; // refused for good: the next try is a new action
        return false;
      }
      pendingId = null;
      onDone();
      return true;
    } catch (e) {
      failure.value = (e as Error).message; // the same id goes again on a retry
      return false;
    } finally {
      busy.value = false;
    }
  }

  return { busy, failure, begin, confirm };
}
