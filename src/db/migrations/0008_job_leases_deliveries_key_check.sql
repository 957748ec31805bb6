CREATE TABLE "job_deliveries" (
	"key" varchar(200) PRIMARY KEY NOT NULL,
	"job_id" integer NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"tries" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "secret_key_check" (
	"id" integer PRIMARY KEY NOT NULL,
	"sealed" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "locked_by" varchar(200);--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "lease_token" varchar(64);--> statement-breakpoint
ALTER TABLE "job_deliveries" ADD CONSTRAINT "job_deliveries_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;