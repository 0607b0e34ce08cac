-- Custom SQL migration (drizzle-kit generate --custom): integrity for (kind, id) references.
-- relationships (source/target) and notes (target) point at objects of several tables, which a foreign key
-- cannot express. These triggers give them what a foreign key would:
--   * on write, each referenced object must exist in the row's own investigation (SQLSTATE 23503, like a
--     foreign key), and it is locked FOR KEY SHARE so a concurrent delete waits for the writer;
--   * when an object leaves its investigation (entity or document deleted, selector removed from the
--     investigation, relationship deleted), the edges and notes pointing at it go too, like ON DELETE CASCADE.
-- A `selector` reference is the global selectors.id and counts as "in the investigation" while an
-- investigation_selectors row links the two.

CREATE FUNCTION object_in_investigation(p_kind text, p_id uuid, p_investigation uuid) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  CASE p_kind
    WHEN 'selector' THEN
      PERFORM 1 FROM investigation_selectors
        WHERE investigation_id = p_investigation AND selector_id = p_id FOR KEY SHARE;
    WHEN 'entity' THEN
      PERFORM 1 FROM entities WHERE id = p_id AND investigation_id = p_investigation FOR KEY SHARE;
    WHEN 'document' THEN
      PERFORM 1 FROM documents WHERE id = p_id AND investigation_id = p_investigation FOR KEY SHARE;
    WHEN 'relationship' THEN
      PERFORM 1 FROM relationships WHERE id = p_id AND investigation_id = p_investigation FOR KEY SHARE;
    ELSE
      RETURN false;
  END CASE;
  RETURN FOUND;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION relationships_check_endpoints() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT object_in_investigation(NEW.source_kind::text, NEW.source_id, NEW.investigation_id) THEN
    RAISE EXCEPTION 'relationship source % % is not in investigation %',
      NEW.source_kind, NEW.source_id, NEW.investigation_id
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'relationships_source_in_investigation';
  END IF;
  IF NOT object_in_investigation(NEW.target_kind::text, NEW.target_id, NEW.investigation_id) THEN
    RAISE EXCEPTION 'relationship target % % is not in investigation %',
      NEW.target_kind, NEW.target_id, NEW.investigation_id
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'relationships_target_in_investigation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER relationships_check_endpoints
  BEFORE INSERT OR UPDATE OF investigation_id, source_kind, source_id, target_kind, target_id ON relationships
  FOR EACH ROW EXECUTE FUNCTION relationships_check_endpoints();
--> statement-breakpoint
CREATE FUNCTION notes_check_target() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.target_kind IS NOT NULL
     AND NOT object_in_investigation(NEW.target_kind::text, NEW.target_id, NEW.investigation_id) THEN
    RAISE EXCEPTION 'note target % % is not in investigation %',
      NEW.target_kind, NEW.target_id, NEW.investigation_id
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'notes_target_in_investigation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER notes_check_target
  BEFORE INSERT OR UPDATE OF investigation_id, target_kind, target_id ON notes
  FOR EACH ROW EXECUTE FUNCTION notes_check_target();
--> statement-breakpoint
-- Clean-up runs once per statement over the deleted rows (a transition table), so deleting a large
-- investigation does a few set-based deletes instead of several per object. TG_ARGV: the object kind and
-- the column holding the referenced id (investigation_selectors references selectors.id via selector_id).
CREATE FUNCTION forget_deleted_objects() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  kind text := TG_ARGV[0];
  id_column text := TG_ARGV[1];
BEGIN
  IF kind <> 'relationship' THEN
    DELETE FROM relationships r
      USING (SELECT g.investigation_id, (to_jsonb(g) ->> id_column)::uuid AS id FROM gone g) d
      WHERE r.investigation_id = d.investigation_id
        AND r.source_kind = kind::object_kind AND r.source_id = d.id;
    DELETE FROM relationships r
      USING (SELECT g.investigation_id, (to_jsonb(g) ->> id_column)::uuid AS id FROM gone g) d
      WHERE r.investigation_id = d.investigation_id
        AND r.target_kind = kind::object_kind AND r.target_id = d.id;
  END IF;
  DELETE FROM notes n
    USING (SELECT g.investigation_id, (to_jsonb(g) ->> id_column)::uuid AS id FROM gone g) d
    WHERE n.investigation_id = d.investigation_id
      AND n.target_kind = kind::note_target_kind AND n.target_id = d.id;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER entities_forget_deleted
  AFTER DELETE ON entities REFERENCING OLD TABLE AS gone
  FOR EACH STATEMENT EXECUTE FUNCTION forget_deleted_objects('entity', 'id');
--> statement-breakpoint
CREATE TRIGGER documents_forget_deleted
  AFTER DELETE ON documents REFERENCING OLD TABLE AS gone
  FOR EACH STATEMENT EXECUTE FUNCTION forget_deleted_objects('document', 'id');
--> statement-breakpoint
CREATE TRIGGER investigation_selectors_forget_deleted
  AFTER DELETE ON investigation_selectors REFERENCING OLD TABLE AS gone
  FOR EACH STATEMENT EXECUTE FUNCTION forget_deleted_objects('selector', 'selector_id');
--> statement-breakpoint
CREATE TRIGGER relationships_forget_deleted
  AFTER DELETE ON relationships REFERENCING OLD TABLE AS gone
  FOR EACH STATEMENT EXECUTE FUNCTION forget_deleted_objects('relationship', 'id');
--> statement-breakpoint
-- Objects never move between investigations (and an investigation_selectors row never switches selector):
-- a move would strand the edges and notes that point at the object, and bypass the clean-up above. The API
-- copies instead of moving.
CREATE FUNCTION reject_reparenting() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%.% cannot change; create a new row instead', TG_TABLE_NAME, TG_ARGV[0]
    USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER entities_keep_investigation
  BEFORE UPDATE OF investigation_id ON entities
  FOR EACH ROW WHEN (OLD.investigation_id IS DISTINCT FROM NEW.investigation_id)
  EXECUTE FUNCTION reject_reparenting('investigation_id');
--> statement-breakpoint
CREATE TRIGGER documents_keep_investigation
  BEFORE UPDATE OF investigation_id ON documents
  FOR EACH ROW WHEN (OLD.investigation_id IS DISTINCT FROM NEW.investigation_id)
  EXECUTE FUNCTION reject_reparenting('investigation_id');
--> statement-breakpoint
CREATE TRIGGER investigation_selectors_keep_investigation
  BEFORE UPDATE OF investigation_id ON investigation_selectors
  FOR EACH ROW WHEN (OLD.investigation_id IS DISTINCT FROM NEW.investigation_id)
  EXECUTE FUNCTION reject_reparenting('investigation_id');
--> statement-breakpoint
CREATE TRIGGER investigation_selectors_keep_selector
  BEFORE UPDATE OF selector_id ON investigation_selectors
  FOR EACH ROW WHEN (OLD.selector_id IS DISTINCT FROM NEW.selector_id)
  EXECUTE FUNCTION reject_reparenting('selector_id');
--> statement-breakpoint
CREATE TRIGGER relationships_keep_investigation
  BEFORE UPDATE OF investigation_id ON relationships
  FOR EACH ROW WHEN (OLD.investigation_id IS DISTINCT FROM NEW.investigation_id)
  EXECUTE FUNCTION reject_reparenting('investigation_id');
