-- migration-safety: reviewed jobs is the only pre-existing table touched here and holds only diagnostic rows (no deployment has production jobs yet), so validating its new FK and building jobs_investigation_idx under lock takes milliseconds. Every other index and constraint is on a table this migration creates.
CREATE TYPE "public"."actor_type" AS ENUM('user', 'job', 'system');--> statement-breakpoint
CREATE TYPE "public"."extraction_status" AS ENUM('pending', 'running', 'succeeded', 'failed');--> statement-breakpoint
CREATE TYPE "public"."entity_kind" AS ENUM('person', 'organisation', 'other');--> statement-breakpoint
CREATE TYPE "public"."object_kind" AS ENUM('selector', 'entity', 'document');--> statement-breakpoint
CREATE TYPE "public"."relationship_type" AS ENUM('related-to', 'resolves-to', 'belongs-to', 'communicates-with', 'mentions', 'same-as', 'owns');--> statement-breakpoint
CREATE TYPE "public"."investigation_status" AS ENUM('open', 'closed', 'archived');--> statement-breakpoint
CREATE TYPE "public"."membership_role" AS ENUM('owner', 'editor', 'viewer');--> statement-breakpoint
CREATE TYPE "public"."tlp" AS ENUM('clear', 'green', 'amber', 'amber+strict', 'red');--> statement-breakpoint
CREATE TYPE "public"."note_target_kind" AS ENUM('selector', 'entity', 'document', 'relationship');--> statement-breakpoint
CREATE TYPE "public"."selector_source" AS ENUM('manual', 'extraction', 'enrichment', 'import');--> statement-breakpoint
CREATE TYPE "public"."selector_type" AS ENUM('domain', 'ipv4', 'ipv6', 'url', 'email', 'phone', 'md5', 'sha1', 'sha256', 'sha512', 'btc', 'eth', 'cve', 'username');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('admin', 'member');--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_type" "actor_type" NOT NULL,
	"actor_id" uuid,
	"action" text NOT NULL,
	"object_type" text NOT NULL,
	"object_id" text,
	"investigation_id" uuid,
	"before" jsonb,
	"after" jsonb,
	"request_id" text,
	CONSTRAINT "audit_events_actor_id_present" CHECK ("audit_events"."actor_type" = 'system' or "audit_events"."actor_id" is not null),
	CONSTRAINT "audit_events_action_length" CHECK (char_length("audit_events"."action") between 1 and 100)
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"investigation_id" uuid NOT NULL,
	"title" text NOT NULL,
	"source_url" text,
	"media_type" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea",
	"extracted_text" text,
	"extraction_status" "extraction_status" DEFAULT 'pending' NOT NULL,
	"error" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"search_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('simple'::regconfig, left(coalesce("documents"."title", ''), 1000)), 'A') || setweight(to_tsvector('simple'::regconfig, left(coalesce("documents"."extracted_text", ''), 1000000)), 'B')) STORED NOT NULL,
	CONSTRAINT "documents_investigation_sha256_key" UNIQUE("investigation_id","sha256"),
	CONSTRAINT "documents_sha256_hex" CHECK ("documents"."sha256" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "documents_size_matches_content" CHECK ("documents"."content" is null or octet_length("documents"."content") = "documents"."size_bytes"),
	CONSTRAINT "documents_size_non_negative" CHECK ("documents"."size_bytes" >= 0),
	CONSTRAINT "documents_title_length" CHECK (char_length("documents"."title") between 1 and 1000)
);
--> statement-breakpoint
CREATE TABLE "mentions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"selector_id" uuid NOT NULL,
	"start_offset" integer NOT NULL,
	"end_offset" integer NOT NULL,
	"raw_text" text NOT NULL,
	"extractor_version" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mentions_document_selector_start_key" UNIQUE("document_id","selector_id","start_offset"),
	CONSTRAINT "mentions_offsets" CHECK ("mentions"."start_offset" >= 0 and "mentions"."end_offset" > "mentions"."start_offset")
);
--> statement-breakpoint
CREATE TABLE "entities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"investigation_id" uuid NOT NULL,
	"kind" "entity_kind" NOT NULL,
	"label" text NOT NULL,
	"properties" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "entities_label_length" CHECK (char_length("entities"."label") between 1 and 500),
	CONSTRAINT "entities_properties_object" CHECK (jsonb_typeof("entities"."properties") = 'object')
);
--> statement-breakpoint
CREATE TABLE "relationships" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"investigation_id" uuid NOT NULL,
	"source_kind" "object_kind" NOT NULL,
	"source_id" uuid NOT NULL,
	"target_kind" "object_kind" NOT NULL,
	"target_id" uuid NOT NULL,
	"type" "relationship_type" NOT NULL,
	"confidence" smallint DEFAULT 50 NOT NULL,
	"evidence_document_id" uuid,
	"created_by_user" uuid,
	"created_by_job" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "relationships_edge_key" UNIQUE("investigation_id","source_kind","source_id","target_kind","target_id","type"),
	CONSTRAINT "relationships_has_creator" CHECK ("relationships"."created_by_user" is not null or "relationships"."created_by_job" is not null),
	CONSTRAINT "relationships_confidence_range" CHECK ("relationships"."confidence" between 0 and 100),
	CONSTRAINT "relationships_not_self" CHECK (not ("relationships"."source_kind" = "relationships"."target_kind" and "relationships"."source_id" = "relationships"."target_id"))
);
--> statement-breakpoint
CREATE TABLE "investigations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"status" "investigation_status" DEFAULT 'open' NOT NULL,
	"tlp" "tlp" DEFAULT 'amber' NOT NULL,
	"default_region" text,
	"allow_list" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "investigations_title_length" CHECK (char_length("investigations"."title") between 1 and 500),
	CONSTRAINT "investigations_default_region_iso" CHECK ("investigations"."default_region" ~ '^[A-Z]{2}$'),
	CONSTRAINT "investigations_allow_list_array" CHECK (jsonb_typeof("investigations"."allow_list") = 'array')
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"investigation_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" "membership_role" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "memberships_investigation_id_user_id_pk" PRIMARY KEY("investigation_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"investigation_id" uuid NOT NULL,
	"target_kind" "note_target_kind",
	"target_id" uuid,
	"body" text NOT NULL,
	"author_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notes_target_pair" CHECK (("notes"."target_kind" is null) = ("notes"."target_id" is null)),
	CONSTRAINT "notes_body_length" CHECK (char_length("notes"."body") between 1 and 100000)
);
--> statement-breakpoint
CREATE TABLE "investigation_selectors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"investigation_id" uuid NOT NULL,
	"selector_id" uuid NOT NULL,
	"source" "selector_source" NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"note" text,
	"false_positive" boolean DEFAULT false NOT NULL,
	"added_by" uuid,
	"added_by_job_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "investigation_selectors_investigation_selector_key" UNIQUE("investigation_id","selector_id"),
	CONSTRAINT "investigation_selectors_tags_limit" CHECK (cardinality("investigation_selectors"."tags") <= 50),
	CONSTRAINT "investigation_selectors_has_adder" CHECK ("investigation_selectors"."added_by" is not null or "investigation_selectors"."added_by_job_id" is not null),
	CONSTRAINT "investigation_selectors_manual_has_person" CHECK ("investigation_selectors"."source" <> 'manual' or "investigation_selectors"."added_by" is not null)
);
--> statement-breakpoint
CREATE TABLE "selectors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"type" "selector_type" NOT NULL,
	"value" text NOT NULL,
	"display_value" text NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "selectors_type_value_key" UNIQUE("type","value"),
	CONSTRAINT "selectors_value_size" CHECK (octet_length("selectors"."value") between 1 and 2048),
	CONSTRAINT "selectors_display_value_length" CHECK (char_length("selectors"."display_value") between 1 and 8192),
	CONSTRAINT "selectors_attributes_object" CHECK (jsonb_typeof("selectors"."attributes") = 'object'),
	CONSTRAINT "selectors_seen_order" CHECK ("selectors"."first_seen_at" <= "selectors"."last_seen_at")
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_sha256_hex" CHECK ("api_tokens"."token_hash" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "api_tokens_prefix_length" CHECK (char_length("api_tokens"."prefix") between 1 and 16),
	CONSTRAINT "api_tokens_name_length" CHECK (char_length("api_tokens"."name") between 1 and 200)
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ip" "inet",
	"user_agent" text,
	CONSTRAINT "sessions_id_sha256_hex" CHECK ("sessions"."id" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"role" "user_role" DEFAULT 'member' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_shape" CHECK ("users"."email" ~ '^[^@\s]+@[^@\s]+$' and char_length("users"."email") <= 320),
	CONSTRAINT "users_display_name_length" CHECK (char_length("users"."display_name") between 1 and 200),
	CONSTRAINT "users_password_hash_argon2id" CHECK ("users"."password_hash" like '$argon2id$%')
);
--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "investigation_id" uuid;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_investigation_id_investigations_id_fk" FOREIGN KEY ("investigation_id") REFERENCES "public"."investigations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentions" ADD CONSTRAINT "mentions_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentions" ADD CONSTRAINT "mentions_selector_id_selectors_id_fk" FOREIGN KEY ("selector_id") REFERENCES "public"."selectors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entities" ADD CONSTRAINT "entities_investigation_id_investigations_id_fk" FOREIGN KEY ("investigation_id") REFERENCES "public"."investigations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entities" ADD CONSTRAINT "entities_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relationships" ADD CONSTRAINT "relationships_investigation_id_investigations_id_fk" FOREIGN KEY ("investigation_id") REFERENCES "public"."investigations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relationships" ADD CONSTRAINT "relationships_evidence_document_id_documents_id_fk" FOREIGN KEY ("evidence_document_id") REFERENCES "public"."documents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relationships" ADD CONSTRAINT "relationships_created_by_user_users_id_fk" FOREIGN KEY ("created_by_user") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relationships" ADD CONSTRAINT "relationships_created_by_job_jobs_id_fk" FOREIGN KEY ("created_by_job") REFERENCES "public"."jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investigations" ADD CONSTRAINT "investigations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_investigation_id_investigations_id_fk" FOREIGN KEY ("investigation_id") REFERENCES "public"."investigations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes" ADD CONSTRAINT "notes_investigation_id_investigations_id_fk" FOREIGN KEY ("investigation_id") REFERENCES "public"."investigations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes" ADD CONSTRAINT "notes_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investigation_selectors" ADD CONSTRAINT "investigation_selectors_investigation_id_investigations_id_fk" FOREIGN KEY ("investigation_id") REFERENCES "public"."investigations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investigation_selectors" ADD CONSTRAINT "investigation_selectors_selector_id_selectors_id_fk" FOREIGN KEY ("selector_id") REFERENCES "public"."selectors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investigation_selectors" ADD CONSTRAINT "investigation_selectors_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investigation_selectors" ADD CONSTRAINT "investigation_selectors_added_by_job_id_jobs_id_fk" FOREIGN KEY ("added_by_job_id") REFERENCES "public"."jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_investigation_idx" ON "audit_events" USING btree ("investigation_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_events_object_idx" ON "audit_events" USING btree ("object_type","object_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_events_actor_idx" ON "audit_events" USING btree ("actor_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_events_at_brin_idx" ON "audit_events" USING brin ("at");--> statement-breakpoint
CREATE INDEX "documents_page_idx" ON "documents" USING btree ("investigation_id","created_at","id");--> statement-breakpoint
CREATE INDEX "documents_search_idx" ON "documents" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "mentions_selector_idx" ON "mentions" USING btree ("selector_id","document_id");--> statement-breakpoint
CREATE INDEX "entities_page_idx" ON "entities" USING btree ("investigation_id","created_at","id");--> statement-breakpoint
CREATE INDEX "relationships_target_idx" ON "relationships" USING btree ("investigation_id","target_kind","target_id");--> statement-breakpoint
CREATE INDEX "relationships_page_idx" ON "relationships" USING btree ("investigation_id","created_at","id");--> statement-breakpoint
CREATE INDEX "relationships_evidence_idx" ON "relationships" USING btree ("evidence_document_id") WHERE "relationships"."evidence_document_id" is not null;--> statement-breakpoint
CREATE INDEX "relationships_job_idx" ON "relationships" USING btree ("created_by_job") WHERE "relationships"."created_by_job" is not null;--> statement-breakpoint
CREATE INDEX "investigations_created_idx" ON "investigations" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "memberships_user_idx" ON "memberships" USING btree ("user_id","investigation_id");--> statement-breakpoint
CREATE INDEX "notes_page_idx" ON "notes" USING btree ("investigation_id","created_at","id");--> statement-breakpoint
CREATE INDEX "notes_target_idx" ON "notes" USING btree ("investigation_id","target_kind","target_id") WHERE "notes"."target_kind" is not null;--> statement-breakpoint
CREATE INDEX "investigation_selectors_page_idx" ON "investigation_selectors" USING btree ("investigation_id","created_at","id");--> statement-breakpoint
CREATE INDEX "investigation_selectors_selector_idx" ON "investigation_selectors" USING btree ("selector_id","investigation_id");--> statement-breakpoint
CREATE INDEX "investigation_selectors_tags_idx" ON "investigation_selectors" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "investigation_selectors_job_idx" ON "investigation_selectors" USING btree ("added_by_job_id") WHERE "investigation_selectors"."added_by_job_id" is not null;--> statement-breakpoint
CREATE INDEX "selectors_value_trgm_idx" ON "selectors" USING gin ("value" gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "api_tokens_user_idx" ON "api_tokens" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_expires_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_lower_key" ON "users" USING btree (lower("email"));--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_investigation_id_investigations_id_fk" FOREIGN KEY ("investigation_id") REFERENCES "public"."investigations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "jobs_investigation_idx" ON "jobs" USING btree ("investigation_id","created_at");