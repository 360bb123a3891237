CREATE TABLE "alert_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"firing_id" bigint NOT NULL,
	"webhook" text NOT NULL,
	"kind" text NOT NULL,
	"attempt" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"status" integer,
	"error" text,
	"duration_ms" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_firings" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dedupe_key" text NOT NULL,
	"rule" text NOT NULL,
	"district" text NOT NULL,
	"subject_kind" text NOT NULL,
	"subject_id" text NOT NULL,
	"severity" text NOT NULL,
	"facts" jsonb NOT NULL,
	"fired_at" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" text,
	CONSTRAINT "alert_firings_dedupe_key_unique" UNIQUE("dedupe_key")
);
--> statement-breakpoint
CREATE TABLE "alert_settings" (
	"name" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_firing_id_alert_firings_id_fk" FOREIGN KEY ("firing_id") REFERENCES "public"."alert_firings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_deliveries_at_idx" ON "alert_deliveries" USING btree ("at");--> statement-breakpoint
CREATE INDEX "alert_deliveries_firing_idx" ON "alert_deliveries" USING btree ("firing_id");--> statement-breakpoint
CREATE INDEX "alert_firings_district_idx" ON "alert_firings" USING btree ("district","fired_at");--> statement-breakpoint
CREATE INDEX "alert_firings_fired_idx" ON "alert_firings" USING btree ("fired_at");--> statement-breakpoint
CREATE INDEX "complaints_open_received_idx" ON "complaints" USING btree ("received_at") WHERE "complaints"."status" = 'open';--> statement-breakpoint
CREATE INDEX "issues_critical_raised_idx" ON "issues" USING btree ("raised_at") WHERE "issues"."severity" = 'critical';--> statement-breakpoint
CREATE INDEX "issues_unclosed_deadline_idx" ON "issues" USING btree ("deadline") WHERE "issues"."status" <> 'closed';--> statement-breakpoint
CREATE INDEX "issues_unclosed_reopened_idx" ON "issues" USING btree ("reopen_count") WHERE "issues"."status" <> 'closed' and "issues"."reopen_count" > 0;