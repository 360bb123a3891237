CREATE TABLE "plans" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"scope" text NOT NULL,
	"from_day" text NOT NULL,
	"to_day" text NOT NULL,
	"theme" text,
	"phases" jsonb,
	"targets" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "institutions" ADD COLUMN "supervisor" text;--> statement-breakpoint
ALTER TABLE "institutions" ADD COLUMN "zone" text;--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "supervisor" text;--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "zone" text;--> statement-breakpoint
CREATE INDEX "plans_window_idx" ON "plans" USING btree ("from_day","to_day");