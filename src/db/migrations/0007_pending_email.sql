ALTER TABLE "user_activation_codes" ADD COLUMN "email" varchar(254);--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "pending_email" varchar(254);