ALTER TABLE "signing_keys" ADD COLUMN "activates_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- Keys of before #20 signed from their creation on (the newest unretired one signs, as before).
UPDATE "signing_keys" SET "activates_at" = "created_at";
