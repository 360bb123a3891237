/** A small in-memory `World` for feeding simulated events through the domain rules. */
import type {
  ComplaintState,
  InspectionState,
  InstitutionState,
  IssueState,
  SchoolReportState,
  StateChange,
  World,
} from '@dudao/domain';
import type { SimRegistry } from '../../src/simulator/model.ts';

export class MemoryWorld implements World {
  readonly timezone = 'Asia/Shanghai';
  private readonly districts: Set<string>;
  private readonly schools: Set<string>;
  private readonly inspectors: Set<string>;
  readonly institutions = new Map<string, InstitutionState>();
  readonly inspections = new Map<string, InspectionState>();
  readonly issues = new Map<string, IssueState>();
  readonly complaints = new Map<string, ComplaintState>();
  readonly reports = new Map<string, SchoolReportState>();

  constructor(registry: SimRegistry) {
    this.districts = new Set(registry.districts);
    this.schools = new Set(registry.schools.map((s) => `${s.district}/${s.id}`));
    this.inspectors = new Set(registry.inspectors.map((i) => `${i.district}/${i.id}`));
    for (const i of registry.institutions) this.institutions.set(i.id, { ...i });
  }

  isDistrict = (adcode: string) => this.districts.has(adcode);
  hasSchool = (district: string, id: string) => this.schools.has(`${district}/${id}`);
  hasInspector = (district: string, id: string) => this.inspectors.has(`${district}/${id}`);
  institution = (id: string) => this.institutions.get(id);
  inspection = (id: string) => this.inspections.get(id);
  issue = (id: string) => this.issues.get(id);
  complaint = (id: string) => this.complaints.get(id);
  report = (schoolId: string, period: string) => this.reports.get(`${schoolId}/${period}`);

  apply(change: StateChange): void {
    switch (change.kind) {
      case 'inspection':
        this.inspections.set(change.state.id, change.state);
        return;
      case 'issue':
        this.issues.set(change.state.id, change.state);
        return;
      case 'complaint':
        this.complaints.set(change.state.id, change.state);
        return;
      case 'institutionAction':
        this.institutions.set(change.institution.id, change.institution);
        return;
      case 'schoolReport':
        this.reports.set(`${change.state.schoolId}/${change.state.period}`, change.state);
        return;
    }
  }
}
