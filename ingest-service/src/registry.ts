/**
 * The city pack and the registry's names, held in memory: districts never change while the service
 * runs, names only matter for display (the feed), so a miss shows the id and triggers a reload.
 */
import { eq } from 'drizzle-orm';
import { districts as districtsTable, inspectors, institutions, schools, type Database } from '@dudao/db';
import type { CityDistrict, CityPackResponse, Target } from '@dudao/domain';

/** A name miss reloads the names at most this often. */
const NAME_RELOAD_MIN_INTERVAL_MS = 30_000;

export class Registry {
  readonly districts: Map<string, CityDistrict>;
  readonly districtCodes: ReadonlySet<string>;
  private names = {
    school: new Map<string, string>(),
    institution: new Map<string, string>(),
    inspector: new Map<string, string>(),
  };
  private lastReload = 0;

  private constructor(
    private readonly database: Database,
    readonly city: { adcode: string; name: string; timezone: string },
    districtList: CityDistrict[],
  ) {
    this.districts = new Map(districtList.map((d) => [d.adcode, d]));
    this.districtCodes = new Set(this.districts.keys());
  }

  static async load(
    database: Database,
    city: { adcode: string; name: string; timezone: string },
  ): Promise<Registry> {
    const rows = await database.db
      .select()
      .from(districtsTable)
      .where(eq(districtsTable.cityAdcode, city.adcode))
      .orderBy(districtsTable.adcode);
    const registry = new Registry(
      database,
      city,
      rows.map((r) => ({ adcode: r.adcode, name: r.name, center: r.center ?? null })),
    );
    await registry.reloadNames();
    return registry;
  }

  get cityPack(): CityPackResponse {
    return { ...this.city, districts: [...this.districts.values()] };
  }

  districtName(adcode: string): string {
    return this.districts.get(adcode)?.name ?? adcode;
  }

  async reloadNames(): Promise<void> {
    this.lastReload = Date.now();
    const codes = [...this.districtCodes];
    const byDistrict = <T extends { id: string; name: string; district: string }>(rows: T[]) =>
      new Map(rows.filter((r) => this.districtCodes.has(r.district)).map((r) => [r.id, r.name]));
    if (codes.length === 0) return;
    const [s, i, p] = await Promise.all([
      this.database.db
        .select({ id: schools.id, name: schools.name, district: schools.district })
        .from(schools),
      this.database.db
        .select({ id: institutions.id, name: institutions.name, district: institutions.district })
        .from(institutions),
      this.database.db
        .select({ id: inspectors.id, name: inspectors.name, district: inspectors.district })
        .from(inspectors),
    ]);
    this.names = { school: byDistrict(s), institution: byDistrict(i), inspector: byDistrict(p) };
  }

  private lookup(kind: keyof Registry['names'], id: string): string {
    const name = this.names[kind].get(id);
    if (name === undefined && Date.now() - this.lastReload > NAME_RELOAD_MIN_INTERVAL_MS) {
      this.reloadNames().catch(() => {
        // Names are cosmetic; the next miss tries again.
      });
    }
    return name ?? id;
  }

  targetName = (target: Target): string => this.lookup(target.kind, target.id);
  inspectorName = (id: string): string => this.lookup('inspector', id);
}
