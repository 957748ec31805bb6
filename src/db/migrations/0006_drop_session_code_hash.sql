DROP INDEX "sessions_oidc_code_hash_idx";--> statement-breakpoint
ALTER TABLE "sessions" DROP COLUMN "oidc_code_hash";