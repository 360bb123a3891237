/**
 * The domain's `World` over one request group: the ledger state loaded for it, overlaid with each
 * accepted change so that later events of the group see earlier ones.
 */
import { reportKey, type LedgerKeys, type LedgerState, type LedgerWrites } from '@dudao/db';
import type { DudaoEvent, StateChange, World } from '@dudao/domain';

/** What deciding (or naming) `events` looks up in the ledger. */
export function ledgerKeysOf(events: Iterable<DudaoEvent>): LedgerKeys {
  const keys = {
    eventIds: new Set<string>(),
    inspectionIds: new Set<string>(),
    issueIds: new Set<string>(),
    complaintIds: new Set<string>(),
    institutionIds: new Set<string>(),
    schoolIds: new Set<string>(),
    inspectorIds: new Set<string>(),
  };
  const addTarget = (t: { kind: string; id: string } | undefined) => {
    if (t) (t.kind === 'school' ? keys.schoolIds : keys.institutionIds).add(t.id);
  };
  for (const e of events) {
    keys.eventIds.add(e.id);
    if (e.inspector !== undefined) keys.inspectorIds.add(e.inspector);
    if ('inspectionId' in e && e.inspectionId !== undefined) keys.inspectionIds.add(e.inspectionId);
    if ('issueId' in e) keys.issueIds.add(e.issueId);
    if ('complaintId' in e) keys.complaintIds.add(e.complaintId);
    if ('institutionId' in e) keys.institutionIds.add(e.institutionId);
    if ('schoolId' in e) keys.schoolIds.add(e.schoolId);
    if ('target' in e) addTarget(e.target);
  }
  return {
    eventIds: [...keys.eventIds],
    inspectionIds: [...keys.inspectionIds],
    issueIds: [...keys.issueIds],
    complaintIds: [...keys.complaintIds],
    institutionIds: [...keys.institutionIds],
    schoolIds: [...keys.schoolIds],
    inspectorIds: [...keys.inspectorIds],
  };
}

export class BatchWorld implements World {
  /** changed objects by table and id: the final state of each is written once */
  private readonly changed = {
    inspections: new Set<string>(),
    issues: new Set<string>(),
    complaints: new Set<string>(),
    institutions: new Set<string>(),
    reports: new Set<string>(),
  };
  private readonly actions: LedgerWrites['actions'] = [];

  constructor(
    readonly timezone: string,
    private readonly districts: ReadonlySet<string>,
    readonly state: LedgerState,
  ) {}

  isDistrict = (adcode: string) => this.districts.has(adcode);
  hasSchool = (district: string, id: string) => this.state.schools.get(id)?.district === district;
  hasInspector = (district: string, id: string) => this.state.inspectors.get(id)?.district === district;
  institution = (id: string) => this.state.institutions.get(id);
  inspection = (id: string) => this.state.inspections.get(id);
  issue = (id: string) => this.state.issues.get(id);
  complaint = (id: string) => this.state.complaints.get(id);
  report = (schoolId: string, period: string) => this.state.reports.get(reportKey(schoolId, period));

  apply(change: StateChange): void {
    switch (change.kind) {
      case 'inspection':
        this.state.inspections.set(change.state.id, change.state);
        this.changed.inspections.add(change.state.id);
        return;
      case 'issue':
        this.state.issues.set(change.state.id, change.state);
        this.changed.issues.add(change.state.id);
        return;
      case 'complaint':
        this.state.complaints.set(change.state.id, change.state);
        this.changed.complaints.add(change.state.id);
        return;
      case 'institutionAction': {
        const known = this.state.institutions.get(change.institution.id);
        this.state.institutions.set(change.institution.id, {
          name: known?.name ?? '',
          ...change.institution,
        });
        this.changed.institutions.add(change.institution.id);
        this.actions.push(change.action);
        return;
      }
      case 'schoolReport': {
        if (!change.replaced) return;
        const key = reportKey(change.state.schoolId, change.state.period);
        this.state.reports.set(key, change.state);
        this.changed.reports.add(key);
        return;
      }
    }
  }

  /**
   * Carries this group's changes into the state loaded for the next group, while this one is not
   * yet committed (the next group's load may not see them). Objects are replaced on change, never
   * mutated, so sharing them is safe.
   */
  carryInto(next: LedgerState): void {
    for (const [id, hash] of this.state.eventHashes) next.eventHashes.set(id, hash);
    const carry = <T>(ids: Set<string>, from: Map<string, T>, to: Map<string, T>) => {
      for (const id of ids) to.set(id, from.get(id) as T);
    };
    carry(this.changed.inspections, this.state.inspections, next.inspections);
    carry(this.changed.issues, this.state.issues, next.issues);
    carry(this.changed.complaints, this.state.complaints, next.complaints);
    carry(this.changed.institutions, this.state.institutions, next.institutions);
    carry(this.changed.reports, this.state.reports, next.reports);
  }

  /** The rows to write, events aside. */
  writes(): Omit<LedgerWrites, 'events'> {
    const pick = <T>(ids: Set<string>, map: Map<string, T>): T[] => [...ids].map((id) => map.get(id) as T);
    return {
      inspections: pick(this.changed.inspections, this.state.inspections),
      issues: pick(this.changed.issues, this.state.issues),
      complaints: pick(this.changed.complaints, this.state.complaints),
      institutions: pick(this.changed.institutions, this.state.institutions).map(
        ({ id, district, category, status }) => ({ id, district, category, status }),
      ),
      actions: this.actions,
      reports: pick(this.changed.reports, this.state.reports),
    };
  }
}
