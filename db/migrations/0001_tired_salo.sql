CREATE TABLE "briefings" (
	"day" date PRIMARY KEY NOT NULL,
	"issue_no" integer NOT NULL,
	"html" text NOT NULL,
	"generated_at" timestamp with time zone DEFAULT now() NOT NULL
);
