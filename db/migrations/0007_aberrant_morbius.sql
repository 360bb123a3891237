-- drizzle-kit cannot name the old primary key (its own note); PostgreSQL named it briefings_pkey.
ALTER TABLE "briefings" DROP CONSTRAINT "briefings_pkey";--> statement-breakpoint
ALTER TABLE "briefings" ADD COLUMN "scope" text DEFAULT 'city' NOT NULL;--> statement-breakpoint
ALTER TABLE "briefings" ADD CONSTRAINT "briefings_scope_day_pk" PRIMARY KEY("scope","day");
