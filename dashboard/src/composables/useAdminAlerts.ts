/** For admins (SPEC §15): the alert rules in force, the webhooks, and the delivery log, newest first. */
import { ref, shallowRef } from 'vue';
import type { AlertRule, AlertRules } from '@dudao/domain';
import { adminRequest, type AdminApiError } from './useAdminAccess.ts';

export interface WebhookListing {
  name: string;
  kind: 'json' | 'dingtalk' | 'wecom';
  msgtype: 'markdown' | 'text';
  scope: string;
  rules: AlertRule[];
  signed: boolean;
}

export interface RulesListing {
  rules: AlertRules;
  source: 'api' | 'file' | 'default';
  updatedAt: string | null;
  updatedBy: string | null;
  webhooks: WebhookListing[];
}

export interface DeliveryItem {
  id: number;
  firingId: string;
  rule: AlertRule;
  district: string;
  subjectId: string;
  webhook: string;
  kind: WebhookListing['kind'];
  attempt: number;
  at: string;
  outcome: 'delivered' | 'failed';
  status: number | null;
  error: string | null;
  durationMs: number;
}

const PAGE_SIZE = 50;

export function useAdminAlerts() {
  const rules = shallowRef<RulesListing | null>(null);
  const deliveries = shallowRef<DeliveryItem[]>([]);
  const nextCursor = ref<string | null>(null);
  const error = ref<AdminApiError | null>(null);

  async function load(more = false): Promise<void> {
    try {
      const cursor = more && nextCursor.value ? `&cursor=${nextCursor.value}` : '';
      const [listing, page] = await Promise.all([
        more ? Promise.resolve(rules.value) : adminRequest<RulesListing>('GET', '/api/v1/admin/alerts/rules'),
        adminRequest<{ items: DeliveryItem[]; nextCursor: string | null }>(
          'GET',
          `/api/v1/admin/alerts/deliveries?limit=${PAGE_SIZE}${cursor}`,
        ),
      ]);
      rules.value = listing;
      deliveries.value = more ? [...deliveries.value, ...page.items] : page.items;
      nextCursor.value = page.nextCursor;
      error.value = null;
    } catch (e) {
      error.value = e as AdminApiError;
    }
  }

  return { rules, deliveries, nextCursor, error, load };
}
