/** The city pack and the registry of SPEC §4: reference data that events point at. */
import { index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';

export const cities = pgTable('cities', {
  adcode: text('adcode').primaryKey(),
  name: text('name').notNull(),
  timezone: text('timezone').notNull().default('Asia/Shanghai'),
});

export const districts = pgTable(
  'districts',
  {
    adcode: text('adcode').primaryKey(),
    cityAdcode: text('city_adcode')
      .notNull()
      .references(() => cities.adcode),
    name: text('name').notNull(),
    /** [longitude, latitude] of the label point */
    center: jsonb('center').$type<[number, number]>(),
  },
  (t) => [index('districts_city_idx').on(t.cityAdcode)],
);

/**
 * Who answers for a school or an institution (SPEC §14): its 责任督学 (an inspector id of the same
 * district) and its 督学责任区 (a name unique within the district). Both optional: a registry
 * loaded before them, or a CSV without the columns, has none.
 */
const responsibility = () => ({
  supervisor: text('supervisor'),
  zone: text('zone'),
});

export const schools = pgTable(
  'schools',
  {
    id: text('id').primaryKey(),
    district: text('district').notNull(),
    name: text('name').notNull(),
    stage: text('stage', { enum: ['kindergarten', 'primary', 'junior', 'nine_year', 'senior'] }).notNull(),
    ownership: text('ownership', { enum: ['public', 'private'] }).notNull(),
    students: integer('students').notNull(),
    ...responsibility(),
  },
  (t) => [index('schools_district_idx').on(t.district)],
);

export const institutions = pgTable(
  'institutions',
  {
    id: text('id').primaryKey(),
    district: text('district').notNull(),
    name: text('name').notNull(),
    category: text('category', { enum: ['subject', 'non_subject'] }).notNull(),
    status: text('status', { enum: ['active', 'suspended', 'closed'] }).notNull(),
    ...responsibility(),
  },
  (t) => [index('institutions_district_idx').on(t.district)],
);

export const inspectors = pgTable(
  'inspectors',
  {
    id: text('id').primaryKey(),
    district: text('district').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: ['full_time', 'part_time'] }).notNull(),
  },
  (t) => [index('inspectors_district_idx').on(t.district)],
);

export type City = typeof cities.$inferSelect;
export type District = typeof districts.$inferSelect;
export type School = typeof schools.$inferSelect;
export type NewSchool = typeof schools.$inferInsert;
export type Institution = typeof institutions.$inferSelect;
export type NewInstitution = typeof institutions.$inferInsert;
export type Inspector = typeof inspectors.$inferSelect;
export type NewInspector = typeof inspectors.$inferInsert;
