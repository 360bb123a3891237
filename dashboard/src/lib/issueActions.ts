/**
 * What a supervisor may do to an issue from the panel (SPEC §13), as pure functions: which buttons
 * an issue's state allows, the request body each becomes, and a picked day as a deadline. The
 * service (the domain core) decides again; this only keeps impossible buttons from being pressed.
 */
import { addDays, localTime, startOfLocalDay, type IssueActionBody, type IssueStatus } from '@dudao/domain';

export const ISSUE_BUTTONS = ['verifyPassed', 'verifyFailed', 'extend', 'urge', 'comment'] as const;
export type IssueButton = (typeof ISSUE_BUTTONS)[number];

/** What a button asks for before it is confirmed. */
export const BUTTON_FIELDS: Record<IssueButton, readonly ('deadline' | 'reason' | 'note')[]> = {
  verifyPassed: [],
  verifyFailed: ['deadline'],
  extend: ['deadline', 'reason'],
  urge: ['note'],
  comment: ['note'],
};

/**
 * Whether an issue in `status` takes the button: a revisit (复查) needs a submitted fix, an
 * extension or an urge an open issue; a remark goes on any issue.
 */
export function buttonAllowed(button: IssueButton, status: IssueStatus): boolean {
  switch (button) {
    case 'verifyPassed':
    case 'verifyFailed':
      return status === 'submitted';
    case 'extend':
    case 'urge':
      return status === 'open';
    case 'comment':
      return true;
  }
}

export interface ActionForm {
  /** a day of the city (`YYYY-MM-DD`); the deadline is the end of that day */
  day: string;
  reason: string;
  note: string;
}

/** The end of `day` in the city: a deadline set to a day means "by the end of that day". */
export const deadlineOfDay = (day: string, timezone: string): string =>
  new Date(startOfLocalDay(addDays(day, 1), timezone) - 1000).toISOString();

/**
 * The day a deadline picker starts on: a week after the later of today and the current deadline
 * (an extension must move the deadline later; a failed revisit sets a new one from today).
 */
export function suggestedDay(currentDeadline: string, now: number, timezone: string): string {
  const from = Math.max(Date.parse(currentDeadline), now);
  return addDays(localTime(from, timezone).day, 7);
}

/** The body of `POST /api/v1/issues/:issueId/actions` a confirmed button sends. */
export function actionBody(
  button: IssueButton,
  id: string,
  form: ActionForm,
  timezone: string,
): IssueActionBody {
  const note = form.note.trim();
  switch (button) {
    case 'verifyPassed':
      return { id, type: 'verify', result: 'passed' };
    case 'verifyFailed':
      return { id, type: 'verify', result: 'failed', deadline: deadlineOfDay(form.day, timezone) };
    case 'extend':
      return { id, type: 'extend', deadline: deadlineOfDay(form.day, timezone), reason: form.reason.trim() };
    case 'urge':
      return { id, type: 'urge', note };
    case 'comment':
      return { id, type: 'comment', note };
  }
}

/** Whether the form holds what the button needs (the confirm button stays off until it does). */
export function formComplete(button: IssueButton, form: ActionForm): boolean {
  return BUTTON_FIELDS[button].every((f) =>
    f === 'deadline' ? /^\d{4}-\d{2}-\d{2}$/.test(form.day) : form[f].trim() !== '',
  );
}

/** A client-made id for an action (the service acts once per id: a double click is one action). */
export const newActionId = (): string => `act-${crypto.randomUUID()}`;
