/**
 * What an alert says on screen (SPEC §15), in the page's language, from its rule and facts: an
 * issue or complaint by its school's (or institution's) name, by its id when the name is unknown.
 */
import type { AlertItem } from '@dudao/domain';

type Translate = (key: string, params?: Record<string, unknown>) => string;

export function alertLine(alert: AlertItem, t: Translate): string {
  const { category } = alert.facts;
  return t(`alerts.text.${alert.rule}`, {
    ...alert.facts,
    name: alert.facts.targetName ?? alert.subject.id,
    ...(category !== undefined ? { category: t(`category.${category}`) } : {}),
  });
}
