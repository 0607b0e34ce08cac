-- Custom SQL migration (drizzle-kit generate --custom): the function behind documents.search_vector.
-- PostgreSQL refuses a tsvector whose lexemes and positions exceed 1 MiB ("string is too long for
-- tsvector", SQLSTATE 54000), and no character cap avoids that for every text: distinct short words cost
-- more bytes in the vector than in the text, multi-byte scripts more still. A generated column that can
-- fail makes the whole INSERT fail, so a large upload could not be stored at all. This function indexes the
-- first million characters and, when that is too much, halves the prefix until the vector fits: the
-- document always saves, and only the tail of a pathological text is left out of full-text search.
-- IMMUTABLE is honest (same input, same output; the configuration is fixed), which generated columns need.
CREATE FUNCTION documents_search_vector(p_title text, p_body text) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  title_vector tsvector := pg_catalog.setweight(
    pg_catalog.to_tsvector('pg_catalog.simple'::regconfig, pg_catalog.left(coalesce(p_title, ''), 1000)), 'A');
  chars integer := 1000000;
BEGIN
  LOOP
    BEGIN
      RETURN title_vector || pg_catalog.setweight(
        pg_catalog.to_tsvector('pg_catalog.simple'::regconfig, pg_catalog.left(coalesce(p_body, ''), chars)), 'B');
    EXCEPTION WHEN program_limit_exceeded THEN
      chars := chars / 2;
    END;
  END LOOP;
END;
$$;
