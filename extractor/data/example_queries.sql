-- Named example queries for `ita-extract query --example NAME` (`--list-examples` lists them).
-- Each starts with a `-- name:` line; the `--` lines right after it describe it.
-- docs/querying.md shows them as written, and tests/test_query.py runs every one.

-- name: completion-by-indicator-province
-- Share of measures marked completed, per province and ITA indicator. The indicator is
-- the printed one, or the one implied by the row's OIT codes or topic when none is printed
-- (indicator_basis says which). The rate counts only measures whose status could be read.
SELECT province,
       coalesce(indicator_no, indicator_inferred) AS indicator,
       count(*) AS measures,
       count(*) FILTER (WHERE indicator_no IS NULL AND indicator_inferred IS NOT NULL) AS inferred,
       count(status) AS with_status,
       count(*) FILTER (WHERE status = 'completed') AS completed,
       round(100.0 * count(*) FILTER (WHERE status = 'completed') / nullif(count(status), 0), 1)
           AS completed_pct
FROM measures
GROUP BY province, indicator
ORDER BY province NULLS LAST, indicator NULLS LAST;

-- name: agencies-without-completed
-- Agencies none of whose measures is marked completed (in any report of the dataset),
-- with how many measures they reported and how many had a status at all.
SELECT a.agency_id, a.agency_name, a.province, a.n_reports,
       count(m.report_id) AS measures,
       count(m.status) AS with_status
FROM agencies AS a
LEFT JOIN measures AS m USING (agency_id)
GROUP BY a.agency_id, a.agency_name, a.province, a.n_reports
HAVING count(*) FILTER (WHERE m.status = 'completed') = 0
ORDER BY a.province NULLS LAST, a.agency_name;

-- name: measures-per-year
-- Reports, agencies and measures per fiscal year (Buddhist era), with the measures'
-- status counts: how the reported measures change between years.
SELECT r.fiscal_year_be,
       count(DISTINCT r.report_id) AS reports,
       count(DISTINCT r.agency_id) AS agencies,
       count(m.report_id) AS measures,
       count(*) FILTER (WHERE m.status = 'completed') AS completed,
       count(*) FILTER (WHERE m.status = 'in_progress') AS in_progress,
       count(*) FILTER (WHERE m.status = 'not_started') AS not_started,
       count(m.report_id) - count(m.status) AS no_status
FROM reports AS r
LEFT JOIN measures AS m USING (report_id)
WHERE r.status <> 'failed'
GROUP BY r.fiscal_year_be
ORDER BY r.fiscal_year_be NULLS LAST;

-- name: rows-to-check
-- Measure rows worth a human look: a note of severity warning or review, or a
-- confidence below 0.8, with the source file, page and line to open and the kinds of
-- note (docs/notes.md).
SELECT source_file, page, line, confidence, measure,
       list_distinct([n.kind FOR n IN notes IF n.severity <> 'info']) AS kinds
FROM measures
WHERE len([n FOR n IN notes IF n.severity <> 'info']) > 0 OR confidence < 0.8
ORDER BY confidence, source_file, page, line;
