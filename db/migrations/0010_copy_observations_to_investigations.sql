-- Per-investigation observations (ADR 0020), the data step between the generated 0009 (new columns on
-- investigation_selectors, enrichment_results.investigation_id) and the generated 0011 (NOT NULL, checks,
-- the shared columns dropped from selectors). Each existing link gets what its own investigation saw, as
-- far as the database can tell, and nothing it could only have learnt from another investigation:
--
-- * first/last seen: the link's own life (created_at .. updated_at; a re-add bumps updated_at);
-- * spelling: the raw text of the investigation's own earliest mention of the value; else the shared
--   spelling when this investigation linked the value first of all; else the normalised value;
-- * attributes: the normalisation facts (a function of the value), plus the shared `enrichment` facts only
--   where this investigation's own enrich job asked about the selector or derived it. Other
--   investigations' links lose them; their next enrichment recomputes them.
UPDATE "investigation_selectors" AS l
SET "first_seen_at" = l."created_at",
    "last_seen_at" = greatest(l."created_at", l."updated_at"),
    "display_value" = coalesce(
      (SELECT left(m."raw_text", 8192)
       FROM "mentions" m JOIN "documents" d ON d."id" = m."document_id"
       WHERE m."selector_id" = l."selector_id" AND d."investigation_id" = l."investigation_id"
         AND char_length(m."raw_text") > 0
       ORDER BY m."created_at", m."id" LIMIT 1),
      CASE WHEN NOT EXISTS (
        SELECT 1 FROM "investigation_selectors" o
        WHERE o."selector_id" = l."selector_id" AND (o."created_at", o."id") < (l."created_at", l."id")
      ) THEN s."display_value" END,
      s."value"),
    "attributes" = CASE
      WHEN EXISTS (
        SELECT 1 FROM "jobs" j
        WHERE j."kind" = 'enrich' AND j."investigation_id" = l."investigation_id"
          AND (j."payload" -> 'selectorIds' ? l."selector_id"::text OR j."id" = l."added_by_job_id")
      ) THEN s."attributes"
      ELSE s."attributes" - 'enrichment'
    END
FROM "selectors" AS s
WHERE s."id" = l."selector_id";
--> statement-breakpoint
-- Cached provider answers were shared by every investigation and cannot be attributed to one; they are
-- only a cache (the durable outcome is each link's attributes), so they go and are fetched again by the
-- next enrichment of each investigation.
DELETE FROM "enrichment_results";
--> statement-breakpoint
-- A global selector lives as long as something references it: an investigation's link or a mention in an
-- investigation's document. When the last one goes (a selector removed from its last investigation, an
-- investigation deleted with everything it owns), so does the (type, value) row and, by cascade, any
-- enrichment answer cached for it: deleting an investigation removes what it contributed. Rows locked by a
-- transaction that is linking them right now (`FOR KEY SHARE` in the worker's upsert, the API's
-- `ON CONFLICT DO UPDATE`) are skipped, not waited for: they are about to be referenced again.
-- The ids go through arrays (`= ANY(ARRAY(...))`) so both lookups are primary-key index scans whatever the
-- planner guesses about the transition table, and a statement that deleted nothing costs one probe.
CREATE FUNCTION selectors_drop_unreferenced() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  candidates uuid[];
BEGIN
  SELECT array_agg(DISTINCT g.selector_id) INTO candidates FROM gone g;
  IF candidates IS NULL THEN
    RETURN NULL;
  END IF;
  DELETE FROM selectors s
  WHERE s.id = ANY(ARRAY(
    SELECT c.id FROM selectors c
    WHERE c.id = ANY(candidates)
      AND NOT EXISTS (SELECT 1 FROM investigation_selectors l WHERE l.selector_id = c.id)
      AND NOT EXISTS (SELECT 1 FROM mentions m WHERE m.selector_id = c.id)
    FOR UPDATE OF c SKIP LOCKED));
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER investigation_selectors_drop_unreferenced
  AFTER DELETE ON investigation_selectors REFERENCING OLD TABLE AS gone
  FOR EACH STATEMENT EXECUTE FUNCTION selectors_drop_unreferenced();
--> statement-breakpoint
CREATE TRIGGER mentions_drop_unreferenced
  AFTER DELETE ON mentions REFERENCING OLD TABLE AS gone
  FOR EACH STATEMENT EXECUTE FUNCTION selectors_drop_unreferenced();
--> statement-breakpoint
-- What earlier removals left behind.
DELETE FROM selectors s
WHERE NOT EXISTS (SELECT 1 FROM investigation_selectors l WHERE l.selector_id = s.id)
  AND NOT EXISTS (SELECT 1 FROM mentions m WHERE m.selector_id = s.id);
