CREATE TABLE "cities" (
	"adcode" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"timezone" text DEFAULT 'Asia/Shanghai' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "districts" (
	"adcode" text PRIMARY KEY NOT NULL,
	"city_adcode" text NOT NULL,
	"name" text NOT NULL,
	"center" jsonb
);
--> statement-breakpoint
CREATE TABLE "inspectors" (
	"id" text PRIMARY KEY NOT NULL,
	"district" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "institutions" (
	"id" text PRIMARY KEY NOT NULL,
	"district" text NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"status" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schools" (
	"id" text PRIMARY KEY NOT NULL,
	"district" text NOT NULL,
	"name" text NOT NULL,
	"stage" text NOT NULL,
	"ownership" text NOT NULL,
	"students" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"district" text NOT NULL,
	"inspector" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"content_hash" text NOT NULL,
	"payload" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "complaints" (
	"id" text PRIMARY KEY NOT NULL,
	"district" text NOT NULL,
	"channel" text NOT NULL,
	"category" text NOT NULL,
	"target_kind" text,
	"target_id" text,
	"status" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "inspections" (
	"id" text PRIMARY KEY NOT NULL,
	"district" text NOT NULL,
	"target_kind" text NOT NULL,
	"target_id" text NOT NULL,
	"inspector" text NOT NULL,
	"mode" text NOT NULL,
	"theme" text NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"findings" integer
);
--> statement-breakpoint
CREATE TABLE "institution_actions" (
	"event_id" text PRIMARY KEY NOT NULL,
	"institution_id" text NOT NULL,
	"district" text NOT NULL,
	"action" text NOT NULL,
	"amount_yuan" integer,
	"occurred_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "issues" (
	"id" text PRIMARY KEY NOT NULL,
	"district" text NOT NULL,
	"inspection_id" text,
	"target_kind" text NOT NULL,
	"target_id" text NOT NULL,
	"category" text NOT NULL,
	"severity" text NOT NULL,
	"status" text NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"reopen_count" integer DEFAULT 0 NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"submitted_at" timestamp with time zone,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "school_reports" (
	"school_id" text NOT NULL,
	"period" text NOT NULL,
	"district" text NOT NULL,
	"after_school_offered" boolean NOT NULL,
	"participation_bp" integer NOT NULL,
	"homework_compliant" boolean NOT NULL,
	"reported_at" timestamp with time zone NOT NULL,
	CONSTRAINT "school_reports_school_id_period_pk" PRIMARY KEY("school_id","period")
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"role" text NOT NULL,
	"scope" text NOT NULL,
	"label" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "daily_stats" (
	"day" date NOT NULL,
	"scope" text NOT NULL,
	"metric" text NOT NULL,
	"value" double precision NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "daily_stats_day_scope_metric_pk" PRIMARY KEY("day","scope","metric")
);
--> statement-breakpoint
ALTER TABLE "districts" ADD CONSTRAINT "districts_city_adcode_cities_adcode_fk" FOREIGN KEY ("city_adcode") REFERENCES "public"."cities"("adcode") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "districts_city_idx" ON "districts" USING btree ("city_adcode");--> statement-breakpoint
CREATE INDEX "inspectors_district_idx" ON "inspectors" USING btree ("district");--> statement-breakpoint
CREATE INDEX "institutions_district_idx" ON "institutions" USING btree ("district");--> statement-breakpoint
CREATE INDEX "schools_district_idx" ON "schools" USING btree ("district");--> statement-breakpoint
CREATE INDEX "events_district_occurred_idx" ON "events" USING btree ("district","occurred_at");--> statement-breakpoint
CREATE INDEX "events_occurred_idx" ON "events" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "events_received_idx" ON "events" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "complaints_district_idx" ON "complaints" USING btree ("district","status");--> statement-breakpoint
CREATE INDEX "inspections_district_started_idx" ON "inspections" USING btree ("district","started_at");--> statement-breakpoint
CREATE INDEX "inspections_target_idx" ON "inspections" USING btree ("target_kind","target_id");--> statement-breakpoint
CREATE INDEX "inspections_inspector_idx" ON "inspections" USING btree ("inspector","started_at");--> statement-breakpoint
CREATE INDEX "institution_actions_institution_idx" ON "institution_actions" USING btree ("institution_id","occurred_at");--> statement-breakpoint
CREATE INDEX "issues_district_status_idx" ON "issues" USING btree ("district","status","deadline");--> statement-breakpoint
CREATE INDEX "issues_district_raised_idx" ON "issues" USING btree ("district","raised_at");--> statement-breakpoint
CREATE INDEX "issues_target_idx" ON "issues" USING btree ("target_kind","target_id");--> statement-breakpoint
CREATE INDEX "school_reports_period_idx" ON "school_reports" USING btree ("period","district");--> statement-breakpoint
CREATE INDEX "daily_stats_scope_idx" ON "daily_stats" USING btree ("scope","metric","day");