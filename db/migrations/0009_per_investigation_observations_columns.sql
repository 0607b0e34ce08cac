ALTER TABLE "enrichment_results" ADD COLUMN "investigation_id" uuid;--> statement-breakpoint
ALTER TABLE "investigation_selectors" ADD COLUMN "display_value" text;--> statement-breakpoint
ALTER TABLE "investigation_selectors" ADD COLUMN "attributes" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "investigation_selectors" ADD COLUMN "first_seen_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "investigation_selectors" ADD COLUMN "last_seen_at" timestamp with time zone DEFAULT now() NOT NULL;