"""PostgreSQL: the public submission's insert as a PL/pgSQL function (docs/decisions/0404-surveys-submission-without-reads.md).

Same statements as the one-statement CTE of 0403, but PL/pgSQL keeps their plans for the session, so a
submission no longer pays for parsing and planning a large statement each time. SQLite has no functions: there
`services._insert_checked` runs the same two INSERTs itself. The function's column lists must follow the models:
change it here (CREATE OR REPLACE in a new migration) when surveys_response or surveys_answer change.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION surveys_submit_response(
    p_channel varchar, p_collector_id bigint, p_buurt_id varchar, p_idempotency_key varchar,
    p_submitted_at timestamptz, p_survey_id bigint, p_slug varchar, p_status varchar, p_version integer,
    p_updated_at timestamptz, p_answers jsonb
) RETURNS bigint LANGUAGE plpgsql AS $$
-- Insert a response and its answers while the questionnaire is still open and unchanged (same id, slug,
-- version and updated_at as when the answers were validated); NULL when nothing was inserted: the key is stored
-- already (a retry, or a double tap that waited for the other's commit) or the questionnaire changed.
-- p_answers: [[question_id, choice, number, text, rank], ...] (JSON: one cheap parameter instead of five arrays).
DECLARE
    new_id bigint;
BEGIN
    INSERT INTO surveys_response (survey_id, survey_version, channel, collector_id, buurt_id, form_number,
                                  idempotency_key, entered_by_id, submitted_at)
    SELECT s.id, s.version, p_channel, p_collector_id, p_buurt_id, '', p_idempotency_key, NULL, p_submitted_at
    FROM surveys_survey s
    WHERE s.id = p_survey_id AND s.slug = p_slug AND s.status = p_status AND s.version = p_version
      AND s.updated_at = p_updated_at
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id INTO new_id;
    IF new_id IS NOT NULL THEN
        INSERT INTO surveys_answer (response_id, question_id, choice, number, text, rank)
        SELECT new_id, (a ->> 0)::bigint, a ->> 1, (a ->> 2)::integer, a ->> 3, (a ->> 4)::smallint
        FROM jsonb_array_elements(p_answers) AS a;
    END IF;
    RETURN new_id;
END
$$;
"""
DROP = (
    "DROP FUNCTION IF EXISTS surveys_submit_response(varchar, bigint, varchar, varchar, timestamptz, bigint, "
    "varchar, varchar, integer, timestamptz, jsonb);"
)


def _create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0002_answer_index_question_choice_only")]

    operations = [migrations.RunPython(_create, _drop, elidable=False)]
