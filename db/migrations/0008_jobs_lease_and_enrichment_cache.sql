-- migration-safety: reviewed jobs is the only pre-existing table touched: two nullable columns without default (catalog-only) and a partial index over running jobs, which are a handful of rows at any moment (finished jobs are not in it), so building it under lock takes milliseconds. enrichment_results is created here.
CREATE TABLE "enrichment_results" (
	"selector_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"result" jsonb NOT NULL,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "enrichment_results_selector_id_provider_pk" PRIMARY KEY("selector_id","provider"),
	CONSTRAINT "enrichment_results_provider_length" CHECK (char_length("enrichment_results"."provider") between 1 and 100),
	CONSTRAINT "enrichment_results_expiry_order" CHECK ("enrichment_results"."fetched_at" <= "enrichment_results"."expires_at")
);
--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "payload" jsonb;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "lease_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "enrichment_results" ADD CONSTRAINT "enrichment_results_selector_id_selectors_id_fk" FOREIGN KEY ("selector_id") REFERENCES "public"."selectors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "enrichment_results_expires_idx" ON "enrichment_results" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "jobs_running_lease_idx" ON "jobs" USING btree ("lease_expires_at") WHERE "jobs"."status" = 'running';