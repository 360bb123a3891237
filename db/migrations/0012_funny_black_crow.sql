ALTER TABLE "briefings" DROP CONSTRAINT "briefings_scope_day_pk";--> statement-breakpoint
ALTER TABLE "briefings" ADD CONSTRAINT "briefings_scope_kind_day_pk" PRIMARY KEY("scope","kind","day");