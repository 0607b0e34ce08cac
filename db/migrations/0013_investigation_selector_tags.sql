-- migration-safety: reviewed The two dropped indexes served only the tag filter, which now walks investigation_selector_tags. DROP INDEX holds an ACCESS EXCLUSIVE lock on investigation_selectors until this migration commits; the backfill below copies only the tagged links (a few percent of them, well under a second at a million links), so reads wait about that long once.
-- The list filtered by a tag walks that tag's own page order (docs/performance.md#tag-filter, ADR 0004):
-- one row per (link, tag), kept exact by statement-level triggers on investigation_selectors (insert,
-- update, delete, truncate), so every code path that writes `tags` keeps it without knowing it exists.
CREATE TABLE "investigation_selector_tags" (
	"link_id" uuid NOT NULL,
	"investigation_id" uuid NOT NULL,
	"tag" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "investigation_selector_tags_pkey" PRIMARY KEY("link_id","tag")
);
--> statement-breakpoint
DROP INDEX "investigation_selectors_tags_idx";--> statement-breakpoint
DROP INDEX "investigation_selectors_tagged_page_idx";--> statement-breakpoint
CREATE INDEX "investigation_selector_tags_page_idx" ON "investigation_selector_tags" USING btree ("investigation_id","tag","created_at","link_id");--> statement-breakpoint
CREATE FUNCTION investigation_selector_tags_added() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO investigation_selector_tags (link_id, investigation_id, tag, created_at)
  SELECT a.id, a.investigation_id, t.tag, a.created_at
  FROM added_links a CROSS JOIN LATERAL unnest(a.tags) AS t(tag)
  WHERE cardinality(a.tags) > 0
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- Fires for every UPDATE statement on the links (a trigger with transition tables cannot name columns).
-- Each updated link costs one probe of the primary key (link_id, tag) to delete tags it no longer has, and
-- each tag of a tagged link one probe to add what is missing; untagged links add nothing.
CREATE FUNCTION investigation_selector_tags_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM investigation_selector_tags x
  USING new_links a
  WHERE x.link_id = a.id AND (NOT (x.tag = ANY (a.tags)) OR x.created_at <> a.created_at);
  INSERT INTO investigation_selector_tags (link_id, investigation_id, tag, created_at)
  SELECT a.id, a.investigation_id, t.tag, a.created_at
  FROM new_links a CROSS JOIN LATERAL unnest(a.tags) AS t(tag)
  WHERE cardinality(a.tags) > 0
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION investigation_selector_tags_removed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM investigation_selector_tags x
  USING gone_links g
  WHERE x.link_id = g.id AND cardinality(g.tags) > 0;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION investigation_selector_tags_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE investigation_selector_tags;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER investigation_selectors_tags_added AFTER INSERT ON investigation_selectors
  REFERENCING NEW TABLE AS added_links FOR EACH STATEMENT EXECUTE FUNCTION investigation_selector_tags_added();
--> statement-breakpoint
CREATE TRIGGER investigation_selectors_tags_changed AFTER UPDATE ON investigation_selectors
  REFERENCING NEW TABLE AS new_links
  FOR EACH STATEMENT EXECUTE FUNCTION investigation_selector_tags_changed();
--> statement-breakpoint
CREATE TRIGGER investigation_selectors_tags_removed AFTER DELETE ON investigation_selectors
  REFERENCING OLD TABLE AS gone_links FOR EACH STATEMENT EXECUTE FUNCTION investigation_selector_tags_removed();
--> statement-breakpoint
CREATE TRIGGER investigation_selectors_tags_truncated AFTER TRUNCATE ON investigation_selectors
  FOR EACH STATEMENT EXECUTE FUNCTION investigation_selector_tags_truncated();
--> statement-breakpoint
-- The triggers above already hold off writers (CREATE TRIGGER's lock lasts until commit), so the copy of
-- today's tags is exact.
INSERT INTO investigation_selector_tags (link_id, investigation_id, tag, created_at)
SELECT l.id, l.investigation_id, t.tag, l.created_at
FROM investigation_selectors l CROSS JOIN LATERAL unnest(l.tags) AS t(tag)
WHERE cardinality(l.tags) > 0
ON CONFLICT DO NOTHING;
