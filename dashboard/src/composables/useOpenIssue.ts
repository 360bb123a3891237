/** The issue opened from a ledger, kept in the URL (`?issue=`) so a reload or a shared link keeps it open. */
import { computed } from 'vue';
import { useRoute, useRouter } from 'vue-router';

export function useOpenIssue() {
  const route = useRoute();
  const router = useRouter();
  const openIssue = computed(() => (typeof route.query.issue === 'string' ? route.query.issue : null));
  const setIssue = (id: string | null) =>
    void router.replace({ query: { ...route.query, issue: id ?? undefined } });
  return { openIssue, setIssue };
}
