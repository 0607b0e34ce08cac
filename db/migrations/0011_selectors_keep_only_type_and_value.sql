-- migration-safety: reviewed Per-investigation observations (ADR 0020). The dropped selectors columns were copied onto each investigation's link by 0010 and must stop being served; enrichment_results was emptied by 0010, so its new key, foreign key and index are built on an empty table. investigation_selectors is scanned under lock for the NOT NULL and the three checks: one pass each over the links (seconds at a million), accepted for a one-off release step.
ALTER TABLE "selectors" DROP CONSTRAINT "selectors_display_value_length";--> statement-breakpoint
ALTER TABLE "selectors" DROP CONSTRAINT "selectors_attributes_object";--> statement-breakpoint
ALTER TABLE "selectors" DROP CONSTRAINT "selectors_seen_order";--> statement-breakpoint
ALTER TABLE "enrichment_results" DROP CONSTRAINT "enrichment_results_selector_id_provider_pk";--> statement-breakpoint
ALTER TABLE "enrichment_results" ALTER COLUMN "investigation_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "investigation_selectors" ALTER COLUMN "display_value" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "enrichment_results" ADD CONSTRAINT "enrichment_results_investigation_id_selector_id_provider_pk" PRIMARY KEY("investigation_id","selector_id","provider");--> statement-breakpoint
ALTER TABLE "enrichment_results" ADD CONSTRAINT "enrichment_results_investigation_id_investigations_id_fk" FOREIGN KEY ("investigation_id") REFERENCES "public"."investigations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "enrichment_results_selector_idx" ON "enrichment_results" USING btree ("selector_id");--> statement-breakpoint
ALTER TABLE "selectors" DROP COLUMN "display_value";--> statement-breakpoint
ALTER TABLE "selectors" DROP COLUMN "attributes";--> statement-breakpoint
ALTER TABLE "selectors" DROP COLUMN "first_seen_at";--> statement-breakpoint
ALTER TABLE "selectors" DROP COLUMN "last_seen_at";--> statement-breakpoint
ALTER TABLE "investigation_selectors" ADD CONSTRAINT "investigation_selectors_display_value_length" CHECK (char_length("investigation_selectors"."display_value") between 1 and 8192);--> statement-breakpoint
ALTER TABLE "investigation_selectors" ADD CONSTRAINT "investigation_selectors_attributes_object" CHECK (jsonb_typeof("investigation_selectors"."attributes") = 'object');--> statement-breakpoint
ALTER TABLE "investigation_selectors" ADD CONSTRAINT "investigation_selectors_seen_order" CHECK ("investigation_selectors"."first_seen_at" <= "investigation_selectors"."last_seen_at");