-- Column comments of every analyst view, applied after views.sql at every publish (CREATE OR REPLACE VIEW
-- drops them). tests/test_views_documented.py fails when a column of a view in main has no comment, so a
-- new column is documented in the same change that adds it. warehouse.dictionary turns these into the
-- data dictionary.

-- observations
COMMENT ON COLUMN observations.indicator_id IS 'Catalogue indicator id (see the indicators view).';
COMMENT ON COLUMN observations.area_code IS 'GSS code of the area (see the areas view); E92000001 = England.';
COMMENT ON COLUMN observations.period IS 'Canonical period label: 2021/22 (financial or academic year), 2021 (calendar year), 2019-21 (pooled years), 2021/22 Q3 (fiscal quarter), 2021 Q3 (calendar quarter), 2021-10 (month) or a date.';
COMMENT ON COLUMN observations.period_start IS 'First day of the period.';
COMMENT ON COLUMN observations.period_end IS 'Last day of the period.';
COMMENT ON COLUMN observations.period_type IS 'Kind of period: financial_year, calendar_year, academic_year, quarter, month, multi_year or date.';
COMMENT ON COLUMN observations.sex IS 'Sex breakdown (Persons, Male, Female).';
COMMENT ON COLUMN observations.age IS 'Age breakdown (All ages unless the indicator is for an age band).';
COMMENT ON COLUMN observations.category_type IS 'Kind of category breakdown (e.g. a deprivation decile type); empty for the whole population.';
COMMENT ON COLUMN observations.category IS 'Category within category_type; empty for the whole population.';
COMMENT ON COLUMN observations.value IS 'The value in the indicator''s unit; NULL when the source suppressed or did not publish it (the marker is in value_note).';
COMMENT ON COLUMN observations.lower_ci95 IS 'Lower limit of the 95% confidence interval, when published or derived.';
COMMENT ON COLUMN observations.upper_ci95 IS 'Upper limit of the 95% confidence interval, when published or derived.';
COMMENT ON COLUMN observations.lower_ci998 IS 'Lower limit of the 99.8% confidence interval, when published.';
COMMENT ON COLUMN observations.upper_ci998 IS 'Upper limit of the 99.8% confidence interval, when published.';
COMMENT ON COLUMN observations.count IS 'Numerator (events or people counted), when published.';
COMMENT ON COLUMN observations.denominator IS 'Denominator (population at risk), when published.';
COMMENT ON COLUMN observations.value_note IS 'The source''s note on the value as plain text, including statistical markers such as [c] (suppressed) or x (not available).';
COMMENT ON COLUMN observations.published_trend IS 'The recent trend label the source itself published for this row (Fingertips Recent Trend), if any.';
COMMENT ON COLUMN observations.published_comparison IS 'The comparison with England the source itself published for this row, if any.';
COMMENT ON COLUMN observations.commentary IS 'Commentary supplied with the value (council returns template), if any.';
COMMENT ON COLUMN observations.source_id IS 'Registry id of the adapter (source format) that read the row, e.g. fingertips_csv or returns.';
COMMENT ON COLUMN observations.source_file IS 'Name of the file the value came from.';
COMMENT ON COLUMN observations.source_row IS 'Row number in that file (1 = header row, so the first data row is 2; for a wide file the row holding the value).';
COMMENT ON COLUMN observations.load_id IS 'The load (see the loads view) whose file delivered this value.';
COMMENT ON COLUMN observations.revision_id IS 'Unique id of this revision of the observation.';
COMMENT ON COLUMN observations.change IS 'How this revision arose: new (first value for the key), revised (a later file changed the value) or reinstated (a withdrawal made an earlier delivery current again).';
COMMENT ON COLUMN observations.loaded_at IS 'When this revision became current in the warehouse (the start of its load).';

-- observation_history
COMMENT ON COLUMN observation_history.indicator_id IS 'Catalogue indicator id (see the indicators view).';
COMMENT ON COLUMN observation_history.area_code IS 'GSS code of the area (see the areas view); E92000001 = England.';
COMMENT ON COLUMN observation_history.period IS 'Canonical period label: 2021/22 (financial or academic year), 2021 (calendar year), 2019-21 (pooled years), 2021/22 Q3 (fiscal quarter), 2021 Q3 (calendar quarter), 2021-10 (month) or a date.';
COMMENT ON COLUMN observation_history.period_start IS 'First day of the period.';
COMMENT ON COLUMN observation_history.period_end IS 'Last day of the period.';
COMMENT ON COLUMN observation_history.period_type IS 'Kind of period: financial_year, calendar_year, academic_year, quarter, month, multi_year or date.';
COMMENT ON COLUMN observation_history.sex IS 'Sex breakdown (Persons, Male, Female).';
COMMENT ON COLUMN observation_history.age IS 'Age breakdown (All ages unless the indicator is for an age band).';
COMMENT ON COLUMN observation_history.category_type IS 'Kind of category breakdown (e.g. a deprivation decile type); empty for the whole population.';
COMMENT ON COLUMN observation_history.category IS 'Category within category_type; empty for the whole population.';
COMMENT ON COLUMN observation_history.value IS 'The value in the indicator''s unit; NULL when the source suppressed or did not publish it (the marker is in value_note).';
COMMENT ON COLUMN observation_history.lower_ci95 IS 'Lower limit of the 95% confidence interval, when published or derived.';
COMMENT ON COLUMN observation_history.upper_ci95 IS 'Upper limit of the 95% confidence interval, when published or derived.';
COMMENT ON COLUMN observation_history.lower_ci998 IS 'Lower limit of the 99.8% confidence interval, when published.';
COMMENT ON COLUMN observation_history.upper_ci998 IS 'Upper limit of the 99.8% confidence interval, when published.';
COMMENT ON COLUMN observation_history.count IS 'Numerator (events or people counted), when published.';
COMMENT ON COLUMN observation_history.denominator IS 'Denominator (population at risk), when published.';
COMMENT ON COLUMN observation_history.value_note IS 'The source''s note on the value as plain text, including statistical markers such as [c] (suppressed) or x (not available).';
COMMENT ON COLUMN observation_history.published_trend IS 'The recent trend label the source itself published for this row (Fingertips Recent Trend), if any.';
COMMENT ON COLUMN observation_history.published_comparison IS 'The comparison with England the source itself published for this row, if any.';
COMMENT ON COLUMN observation_history.commentary IS 'Commentary supplied with the value (council returns template), if any.';
COMMENT ON COLUMN observation_history.source_id IS 'Registry id of the adapter (source format) that read the row, e.g. fingertips_csv or returns.';
COMMENT ON COLUMN observation_history.source_file IS 'Name of the file the value came from.';
COMMENT ON COLUMN observation_history.source_row IS 'Row number in that file (1 = header row, so the first data row is 2; for a wide file the row holding the value).';
COMMENT ON COLUMN observation_history.file_checksum IS 'SHA-256 of the file the value came from.';
COMMENT ON COLUMN observation_history.load_id IS 'The load (see the loads view) whose file delivered this value.';
COMMENT ON COLUMN observation_history.revision_id IS 'Unique id of this revision of the observation.';
COMMENT ON COLUMN observation_history.change IS 'How this revision arose: new (first value for the key), revised (a later file changed the value) or reinstated (a withdrawal made an earlier delivery current again).';
COMMENT ON COLUMN observation_history.reinstates_revision IS 'For a reinstated revision: the revision whose content it makes current again.';
COMMENT ON COLUMN observation_history.loaded_at IS 'When this revision became current in the warehouse.';
COMMENT ON COLUMN observation_history.superseded_at IS 'When this revision stopped being current; NULL while it is current.';
COMMENT ON COLUMN observation_history.superseded_by IS 'Why it stopped being current: revision (a later load changed the value) or withdrawal (its load was withdrawn).';
COMMENT ON COLUMN observation_history.superseded_by_load IS 'The load that replaced this revision, or the withdrawn load that ended it.';
COMMENT ON COLUMN observation_history.is_current IS 'True for the current revision (the one in the observations view).';
COMMENT ON COLUMN observation_history.load_withdrawn IS 'True when the load that delivered this revision has been withdrawn.';

-- indicators
COMMENT ON COLUMN indicators.indicator_id IS 'Stable catalogue id (lower_snake_case, outcome prefix: cgf, gc, io, se, sw, en).';
COMMENT ON COLUMN indicators.name IS 'Indicator name as shown in reports.';
COMMENT ON COLUMN indicators.outcome_id IS 'Strategic Plan outcome the indicator belongs to (cgf, gc, io, se, sw, en).';
COMMENT ON COLUMN indicators.outcome_name IS 'Name of the outcome, e.g. Clean, Green Future.';
COMMENT ON COLUMN indicators.sub_outcome IS 'Strategic Plan sub-outcome number, e.g. 5.3.';
COMMENT ON COLUMN indicators.sub_outcome_name IS 'Wording of the sub-outcome in the Strategic Plan.';
COMMENT ON COLUMN indicators.success_measure IS 'The plan''s words for what success looks like, which this indicator measures.';
COMMENT ON COLUMN indicators.polarity IS 'high_is_good, low_is_good or no_judgement: orients ranks, trends and directions of travel; never changes a value.';
COMMENT ON COLUMN indicators.value_type IS 'proportion, crude_rate, dsr, isr, ratio, amount, currency, life_expectancy, score, mean, index, sii or count; decides the valid range.';
COMMENT ON COLUMN indicators.unit IS 'Unit of the value, e.g. % or per 1,000.';
COMMENT ON COLUMN indicators.multiplier IS 'Scale of the value (100 for a percentage, 1000 for per 1,000).';
COMMENT ON COLUMN indicators.decimals IS 'Published precision: values are compared (direction of travel) and shown at this many decimals.';
COMMENT ON COLUMN indicators.frequency IS 'How often the source publishes: annual, quarterly, monthly or multi_year.';
COMMENT ON COLUMN indicators.period_convention IS 'How this indicator''s ambiguous period labels are read (e.g. 2010-12 as a pooled period), if declared.';
COMMENT ON COLUMN indicators.publication_lag_months IS 'Months from a period''s end to its usual publication; used to flag overdue data.';
COMMENT ON COLUMN indicators.source_id IS 'Registry id of the one source of record for this indicator.';
COMMENT ON COLUMN indicators.source_selector IS 'What picks this indicator''s rows out of its source (code, indicator name, measure, column, fixed breakdown).';
COMMENT ON COLUMN indicators.headline_sex IS 'Sex breakdown shown on the Outcome Board.';
COMMENT ON COLUMN indicators.headline_age IS 'Age breakdown shown on the Outcome Board.';
COMMENT ON COLUMN indicators.headline_category_type IS 'Category type shown on the Outcome Board (empty = whole population).';
COMMENT ON COLUMN indicators.headline_category IS 'Category shown on the Outcome Board (empty = whole population).';
COMMENT ON COLUMN indicators.comparator_group IS 'Comparator group the area is ranked in (see comparator_groups).';
COMMENT ON COLUMN indicators.statutory IS 'True for a statutory (nationally required) indicator.';
COMMENT ON COLUMN indicators.lead_board IS 'Outcome Board that leads on this indicator.';
COMMENT ON COLUMN indicators.target_description IS 'The target in words, if the indicator has one.';
COMMENT ON COLUMN indicators.also_reported_in IS 'Other outcomes whose reports also show this indicator.';
COMMENT ON COLUMN indicators.break_notes IS 'Definition or boundary changes (''period: note; ...''): values either side are not comparable.';

-- areas
COMMENT ON COLUMN areas.area_code IS 'GSS code (E10 county, E06 unitary, E08 metropolitan district, E09 London borough, E12 region, E92 England) or an aggregate area''s code.';
COMMENT ON COLUMN areas.area_name IS 'Area name.';
COMMENT ON COLUMN areas.area_type IS 'county, unitary, metropolitan_district, london_borough, region, country, aggregate, or a type the catalogue does not compare (e.g. district).';
COMMENT ON COLUMN areas.valid_from IS 'First day the code was in use (NULL = before the register starts).';
COMMENT ON COLUMN areas.valid_to IS 'Last day the code was in use (NULL = still in use), e.g. 2023-03-31 for North Yorkshire County Council.';
COMMENT ON COLUMN areas.components IS 'For an aggregate area (e.g. Leicester and Leicestershire): the codes of the areas it adds up; NULL otherwise.';

-- comparator_groups
COMMENT ON COLUMN comparator_groups.group_id IS 'Comparator group id, e.g. county_councils.';
COMMENT ON COLUMN comparator_groups.group_name IS 'Comparator group name as written in reports ("6th of 21 county councils").';
COMMENT ON COLUMN comparator_groups.area_code IS 'Member area''s GSS code.';
COMMENT ON COLUMN comparator_groups.valid_from IS 'First day of membership (NULL = from the start).';
COMMENT ON COLUMN comparator_groups.valid_to IS 'Last day of membership (NULL = still a member).';

-- rejected_rows
COMMENT ON COLUMN rejected_rows.load_id IS 'The load (see loads) that judged the file.';
COMMENT ON COLUMN rejected_rows.source_file IS 'Name of the file.';
COMMENT ON COLUMN rejected_rows.source_row IS 'Row number in the file (1 = header row).';
COMMENT ON COLUMN rejected_rows.column_name IS 'Canonical column whose cell was rejected (e.g. value, period, area_code).';
COMMENT ON COLUMN rejected_rows.value IS 'The offending cell as text.';
COMMENT ON COLUMN rejected_rows.reason IS 'Why it was rejected, in words an analyst can act on.';
COMMENT ON COLUMN rejected_rows.loaded_at IS 'When the file was judged.';
COMMENT ON COLUMN rejected_rows.withdrawn_at IS 'When the file''s load was withdrawn, if it was.';

-- loads
COMMENT ON COLUMN loads.load_id IS 'Load id, in load order; give it to outcomes withdraw to undo a bad delivery.';
COMMENT ON COLUMN loads.source_file IS 'Name of the file.';
COMMENT ON COLUMN loads.source_path IS 'Where the file was read from.';
COMMENT ON COLUMN loads.checksum IS 'SHA-256 of the file''s bytes: the same bytes are never loaded twice.';
COMMENT ON COLUMN loads.adapter IS 'Registry id of the adapter that read the file (NULL when none could).';
COMMENT ON COLUMN loads.rows_read IS 'Rows (for wide files, value cells) read from the file: rows_accepted + rows_rejected + rows_skipped.';
COMMENT ON COLUMN loads.rows_accepted IS 'Rows in scope and valid, loaded into observations.';
COMMENT ON COLUMN loads.rows_rejected IS 'Rows in scope but invalid (see rejected_rows); for a rejected file, every row read.';
COMMENT ON COLUMN loads.rows_skipped IS 'Rows out of scope (see skip_reasons), e.g. districts, Welsh areas, indicators not in the catalogue.';
COMMENT ON COLUMN loads.skip_reasons IS 'Skipped rows by reason (a map from reason to count).';
COMMENT ON COLUMN loads.skip_reasons_text IS 'The same as text, ''reason: count; ...'', for CSV and Excel users.';
COMMENT ON COLUMN loads.reconciles IS 'True when rows_read = rows_accepted + rows_rejected + rows_skipped (always, unless something is wrong).';
COMMENT ON COLUMN loads.rows_new IS 'Accepted rows that were the first value for their key.';
COMMENT ON COLUMN loads.rows_revised IS 'Accepted rows that changed the current value (the old one stays in observation_history).';
COMMENT ON COLUMN loads.rows_unchanged IS 'Accepted rows identical to the current value (nothing new stored).';
COMMENT ON COLUMN loads.status IS 'accepted, accepted_with_rejections or rejected (the whole file; see message).';
COMMENT ON COLUMN loads.message IS 'Why the whole file was rejected, if it was.';
COMMENT ON COLUMN loads.is_sample IS 'True for generated SAMPLE DATA files.';
COMMENT ON COLUMN loads.started_at IS 'When the load started; every revision it created has this loaded_at.';
COMMENT ON COLUMN loads.finished_at IS 'When the load committed.';
COMMENT ON COLUMN loads.withdrawn_at IS 'When the load was withdrawn (its rows stopped being current), if it was.';
COMMENT ON COLUMN loads.withdrawn_reason IS 'Why it was withdrawn, as given to outcomes withdraw.';
COMMENT ON COLUMN loads.withdrawn_by IS 'Who withdrew it (operating-system user).';

-- snapshot_info
COMMENT ON COLUMN snapshot_info.published_at IS 'When the pipeline published this snapshot.';
COMMENT ON COLUMN snapshot_info.signed_off_quarter IS 'The fiscal quarter this frozen snapshot signs off (e.g. 2024/25 Q1); NULL for the live published file.';
COMMENT ON COLUMN snapshot_info.signed_off_at IS 'When the quarter was signed off (outcomes publish-quarter).';
COMMENT ON COLUMN snapshot_info.signed_off_by IS 'Who signed it off (operating-system user).';
COMMENT ON COLUMN snapshot_info.as_at IS 'For a reconstruction (outcomes query --as-at): the moment it reproduces; NULL otherwise.';

-- quartile_positions
COMMENT ON COLUMN quartile_positions.indicator_id IS 'Catalogue indicator id (see the indicators view).';
COMMENT ON COLUMN quartile_positions.area_code IS 'GSS code of the area (see the areas view); E92000001 = England.';
COMMENT ON COLUMN quartile_positions.period IS 'Canonical period label: 2021/22 (financial or academic year), 2021 (calendar year), 2019-21 (pooled years), 2021/22 Q3 (fiscal quarter), 2021 Q3 (calendar quarter), 2021-10 (month) or a date.';
COMMENT ON COLUMN quartile_positions.sex IS 'Sex breakdown (Persons, Male, Female).';
COMMENT ON COLUMN quartile_positions.age IS 'Age breakdown (All ages unless the indicator is for an age band).';
COMMENT ON COLUMN quartile_positions.category_type IS 'Kind of category breakdown (e.g. a deprivation decile type); empty for the whole population.';
COMMENT ON COLUMN quartile_positions.category IS 'Category within category_type; empty for the whole population.';
COMMENT ON COLUMN quartile_positions.group_id IS 'Comparator group the area is ranked in.';
COMMENT ON COLUMN quartile_positions.value IS 'The area''s value that was ranked.';
COMMENT ON COLUMN quartile_positions.rank IS 'Rank best-first by polarity (highest first for no judgement); ties take the best rank (RANK()).';
COMMENT ON COLUMN quartile_positions.n_comparators IS 'Members of the group valid at the period end with a value, the home area included.';
COMMENT ON COLUMN quartile_positions.quartile IS 'phe_quantile_4: 5 - ceil(4 * (n + 1 - rank) / n); 1 = best 25%; NULL when fewer than 4 comparators.';
COMMENT ON COLUMN quartile_positions.quartile_label IS 'The quartile in words (Best 25% ... Worst 25%, or Highest/Lowest for no_judgement), or why it is not ranked.';
COMMENT ON COLUMN quartile_positions.method IS 'Method name: phe_quantile_4 (OHID PHEindicatormethods phe_quantile, Q = 4).';
COMMENT ON COLUMN quartile_positions.comparator_min IS 'Lowest value in the group (spine chart).';
COMMENT ON COLUMN quartile_positions.comparator_q1 IS 'Type-7 lower quartile of the comparators (quantile_cont = Excel QUARTILE.INC), for spine charts.';
COMMENT ON COLUMN quartile_positions.comparator_median IS 'Median of the group''s values.';
COMMENT ON COLUMN quartile_positions.comparator_q3 IS 'Upper quartile of the group''s values (type 7, = Excel QUARTILE.INC).';
COMMENT ON COLUMN quartile_positions.comparator_max IS 'Highest value in the group (spine chart).';
COMMENT ON COLUMN quartile_positions.comparator_mean IS 'Mean of the group''s values.';
COMMENT ON COLUMN quartile_positions.position_against_median IS 'Better/worse than the comparator median by polarity (above/below for no judgement); NULL when not ranked.';

-- trends
COMMENT ON COLUMN trends.indicator_id IS 'Catalogue indicator id (see the indicators view).';
COMMENT ON COLUMN trends.area_code IS 'GSS code of the area (see the areas view); E92000001 = England.';
COMMENT ON COLUMN trends.sex IS 'Sex breakdown (Persons, Male, Female).';
COMMENT ON COLUMN trends.age IS 'Age breakdown (All ages unless the indicator is for an age band).';
COMMENT ON COLUMN trends.category_type IS 'Kind of category breakdown (e.g. a deprivation decile type); empty for the whole population.';
COMMENT ON COLUMN trends.category IS 'Category within category_type; empty for the whole population.';
COMMENT ON COLUMN trends.latest_period IS 'Latest period of the series (with or without a value).';
COMMENT ON COLUMN trends.recent_trend IS 'Our recent trend (fingertips_next_wls): 5 most recent valid annual points, CI-weighted least squares, chi-square > 9.5495 and every leave-one-out slope of the same sign.';
COMMENT ON COLUMN trends.published_recent_trend IS 'The source''s own Recent Trend label on the latest row (Fingertips), if any.';
COMMENT ON COLUMN trends.trend_check IS 'agrees / disagrees / insufficient history / not published: our recent trend against the published one.';
COMMENT ON COLUMN trends.trend_disagrees IS 'True only when both labels are calculable and differ: a published label that contradicts the data.';
COMMENT ON COLUMN trends.trend_reason IS 'Why the trend cannot be calculated, or why a chi-square-significant slope is No significant change (leave-one-out).';
COMMENT ON COLUMN trends.trend_slope IS 'Weighted least-squares slope per period (b).';
COMMENT ON COLUMN trends.trend_chi2 IS 'Chi-square statistic b^2 / Var(b); significant above 9.5495 (p < 0.002) when every leave-one-out slope agrees in sign.';
COMMENT ON COLUMN trends.trend_periods IS 'The 5 periods the regression used (t = 1..5, oldest first).';
COMMENT ON COLUMN trends.trend_method IS 'Method name: fingertips_next_wls.';
COMMENT ON COLUMN trends.latest_valued_period IS 'Latest period with a value (used for direction of travel).';
COMMENT ON COLUMN trends.latest_value IS 'Value in latest_valued_period.';
COMMENT ON COLUMN trends.previous_period IS 'The previous period with a value.';
COMMENT ON COLUMN trends.previous_value IS 'Value in previous_period.';
COMMENT ON COLUMN trends.direction_of_travel IS 'Latest against the previous period with a value, at published precision: Improving/Worsening/No change (Increasing/Decreasing for no judgement); Not comparable across a break note or a comparator-group change.';
COMMENT ON COLUMN trends.direction_significance IS 'significant only when the two 95% CIs do not overlap; not tested without CIs.';
COMMENT ON COLUMN trends.year_ago_period IS 'For a quarterly series: the same quarter a year earlier.';
COMMENT ON COLUMN trends.year_ago_value IS 'Value in year_ago_period.';
COMMENT ON COLUMN trends.direction_year_on_year IS 'Quarterly and monthly series: latest against the same period a year earlier.';
COMMENT ON COLUMN trends.direction_method IS 'Method name for the direction of travel: ci_overlap_two_values.';

-- benchmark_comparisons
COMMENT ON COLUMN benchmark_comparisons.indicator_id IS 'Catalogue indicator id (see the indicators view).';
COMMENT ON COLUMN benchmark_comparisons.area_code IS 'GSS code of the area (see the areas view); E92000001 = England.';
COMMENT ON COLUMN benchmark_comparisons.period IS 'Canonical period label: 2021/22 (financial or academic year), 2021 (calendar year), 2019-21 (pooled years), 2021/22 Q3 (fiscal quarter), 2021 Q3 (calendar quarter), 2021-10 (month) or a date.';
COMMENT ON COLUMN benchmark_comparisons.sex IS 'Sex breakdown (Persons, Male, Female).';
COMMENT ON COLUMN benchmark_comparisons.age IS 'Age breakdown (All ages unless the indicator is for an age band).';
COMMENT ON COLUMN benchmark_comparisons.category_type IS 'Kind of category breakdown (e.g. a deprivation decile type); empty for the whole population.';
COMMENT ON COLUMN benchmark_comparisons.category IS 'Category within category_type; empty for the whole population.';
COMMENT ON COLUMN benchmark_comparisons.value IS 'The area''s value.';
COMMENT ON COLUMN benchmark_comparisons.lower_ci95 IS 'Lower limit of the area''s 95% confidence interval.';
COMMENT ON COLUMN benchmark_comparisons.upper_ci95 IS 'Upper limit of the area''s 95% confidence interval.';
COMMENT ON COLUMN benchmark_comparisons.england_value IS 'England''s value for the same indicator, period and breakdown.';
COMMENT ON COLUMN benchmark_comparisons.compared_with_england IS 'Better/Similar/Worse (Higher/Similar/Lower for no judgement): England inside the 95% CI -> Similar; Not compared without a CI.';
COMMENT ON COLUMN benchmark_comparisons.published_comparison IS 'The source''s own comparison with England, if it publishes one.';
COMMENT ON COLUMN benchmark_comparisons.method IS 'Method name: ci_overlapping_reference_95.';

-- outcome_board
COMMENT ON COLUMN outcome_board.outcome_id IS 'Strategic Plan outcome (cgf, gc, io, se, sw, en).';
COMMENT ON COLUMN outcome_board.outcome_name IS 'Name of the outcome.';
COMMENT ON COLUMN outcome_board.sub_outcome IS 'Sub-outcome number, e.g. 5.3.';
COMMENT ON COLUMN outcome_board.sub_outcome_name IS 'Wording of the sub-outcome.';
COMMENT ON COLUMN outcome_board.indicator_id IS 'Catalogue indicator id.';
COMMENT ON COLUMN outcome_board.indicator_name IS 'Indicator name.';
COMMENT ON COLUMN outcome_board.success_measure IS 'The plan''s words for what success looks like.';
COMMENT ON COLUMN outcome_board.polarity IS 'high_is_good, low_is_good or no_judgement.';
COMMENT ON COLUMN outcome_board.unit IS 'Unit of the value.';
COMMENT ON COLUMN outcome_board.decimals IS 'Published precision (decimals shown).';
COMMENT ON COLUMN outcome_board.area_code IS 'The home area''s GSS code (outcomes.toml).';
COMMENT ON COLUMN outcome_board.sex IS 'Headline sex breakdown.';
COMMENT ON COLUMN outcome_board.age IS 'Headline age breakdown.';
COMMENT ON COLUMN outcome_board.status IS 'data, or no data when the home area has no value for this indicator.';
COMMENT ON COLUMN outcome_board.latest_period IS 'Latest period of the home area''s series.';
COMMENT ON COLUMN outcome_board.latest_value IS 'Value in latest_period (NULL when suppressed: see value_note).';
COMMENT ON COLUMN outcome_board.value_note IS 'The source''s note on the latest value (markers such as [c]).';
COMMENT ON COLUMN outcome_board.lower_ci95 IS 'Lower 95% confidence limit of the latest value.';
COMMENT ON COLUMN outcome_board.upper_ci95 IS 'Upper 95% confidence limit of the latest value.';
COMMENT ON COLUMN outcome_board.previous_period IS 'The previous period with a value.';
COMMENT ON COLUMN outcome_board.previous_value IS 'Value in previous_period.';
COMMENT ON COLUMN outcome_board.direction_of_travel IS 'Improving, Worsening, No change (by polarity), or Not comparable across a definition break.';
COMMENT ON COLUMN outcome_board.direction_significance IS 'Whether the change is significant (95% confidence intervals do not overlap).';
COMMENT ON COLUMN outcome_board.year_ago_period IS 'For a quarterly series: the same quarter a year earlier.';
COMMENT ON COLUMN outcome_board.year_ago_value IS 'Value in year_ago_period.';
COMMENT ON COLUMN outcome_board.direction_year_on_year IS 'Direction of travel against the same quarter a year earlier.';
COMMENT ON COLUMN outcome_board.rank IS 'Rank among comparators in latest_period, best first.';
COMMENT ON COLUMN outcome_board.n_comparators IS 'Number of comparators ranked.';
COMMENT ON COLUMN outcome_board.comparator_group IS 'Comparator group id.';
COMMENT ON COLUMN outcome_board.rank_text IS 'Rank among the indicator''s comparator group as a committee reads it, e.g. 6th of 21 county councils.';
COMMENT ON COLUMN outcome_board.quartile IS 'Comparator quartile, 1 = best 25%.';
COMMENT ON COLUMN outcome_board.quartile_label IS 'The quartile in words, or why it is not ranked.';
COMMENT ON COLUMN outcome_board.quartile_method IS 'Method name: phe_quantile_4.';
COMMENT ON COLUMN outcome_board.comparator_min IS 'Lowest comparator value (spine chart).';
COMMENT ON COLUMN outcome_board.comparator_q1 IS 'Comparators'' lower quartile (type 7).';
COMMENT ON COLUMN outcome_board.comparator_median IS 'Comparators'' median.';
COMMENT ON COLUMN outcome_board.comparator_q3 IS 'Comparators'' upper quartile (type 7).';
COMMENT ON COLUMN outcome_board.comparator_max IS 'Highest comparator value (spine chart).';
COMMENT ON COLUMN outcome_board.position_against_median IS 'Better/Worse than (Above/Below for no_judgement) the comparator median.';
COMMENT ON COLUMN outcome_board.england_value IS 'England''s value for latest_period.';
COMMENT ON COLUMN outcome_board.compared_with_england IS 'Similar, Better, Worse (Higher/Lower for no_judgement) or Not compared.';
COMMENT ON COLUMN outcome_board.recent_trend IS 'Recent trend (Fingertips method) of the home area''s series.';
COMMENT ON COLUMN outcome_board.published_recent_trend IS 'The source''s own recent trend label, if published.';
COMMENT ON COLUMN outcome_board.trend_check IS 'agrees, disagrees, insufficient history or not published.';
COMMENT ON COLUMN outcome_board.trend_reason IS 'Why the trend cannot be calculated, when it cannot.';
COMMENT ON COLUMN outcome_board.trend_method IS 'Method name: fingertips_next_wls.';
COMMENT ON COLUMN outcome_board.commentary IS 'Commentary supplied with the latest value, if any.';
COMMENT ON COLUMN outcome_board.source_id IS 'Source of record of the indicator.';
COMMENT ON COLUMN outcome_board.last_loaded_at IS 'When data for this indicator was last loaded.';
COMMENT ON COLUMN outcome_board.lead_board IS 'Outcome Board that leads on the indicator.';
COMMENT ON COLUMN outcome_board.statutory IS 'True for a statutory indicator.';

-- target_status, freshness and columns the methods add
COMMENT ON COLUMN quartile_positions.is_indicator_group IS 'True for the comparator group the catalogue names for the indicator (the one the outcome board shows).';
COMMENT ON COLUMN quartile_positions.listed_in_group IS 'False for the home area ranked in a group whose list does not name it.';
COMMENT ON COLUMN benchmark_comparisons.compared_with_england_two_level IS 'Best/Better/Similar/Worse/Worst using the 95% and 99.8% CIs.';
COMMENT ON COLUMN benchmark_comparisons.comparison_disagrees IS 'True when the source''s published comparison is a judgement that differs from ours.';
COMMENT ON COLUMN benchmark_comparisons.ci_method IS 'Where the limits come from: published, or derived from counts (wilson, byar).';
COMMENT ON COLUMN target_status.target_status IS 'Green = met, Amber = missed within tolerance, Red = missed by more; value and target rounded to the published decimals.';
COMMENT ON COLUMN target_status.target_value IS 'The target for this period: fixed value, trajectory interpolated from baseline to milestones, or the England value.';
COMMENT ON COLUMN freshness.expected_period IS 'The latest period due by run_date: a period ending in month M with lag L months is due from the first day of month M + L + 1.';
COMMENT ON COLUMN freshness.overdue IS 'True when there is no data or the latest loaded period ends before the expected period.';
COMMENT ON COLUMN outcome_board.target_value IS 'The target for the latest period (see target_status).';
COMMENT ON COLUMN outcome_board.target_status IS 'Green/Amber/Red for the latest period, NULL without a target or value.';
COMMENT ON COLUMN outcome_board.target_description IS 'The target in the plan''s words (catalogue).';
COMMENT ON COLUMN outcome_board.overdue IS 'The latest period is older than frequency and publication lag allow at the run date.';
COMMENT ON COLUMN outcome_board.expected_period IS 'What should be available by the run date.';
COMMENT ON COLUMN outcome_board.derivation IS 'source, aggregate of components, and/or running total: how the latest value was formed.';
COMMENT ON COLUMN benchmark_comparisons.lower_ci998 IS 'Lower limit of the area''s 99.8% confidence interval (published or derived), used by the two-level comparison.';
COMMENT ON COLUMN benchmark_comparisons.upper_ci998 IS 'Upper limit of the area''s 99.8% confidence interval (published or derived), used by the two-level comparison.';
COMMENT ON COLUMN benchmark_comparisons.two_level_method IS 'Method name of the two-level comparison (95% and 99.8% CIs overlapping the England value).';
COMMENT ON COLUMN quartile_positions.group_name IS 'Name of the comparator group, as it reads in a rank ("county councils").';
COMMENT ON COLUMN trends.trend_direction IS 'Sign of a significant recent trend: 1 increasing, -1 decreasing, 0 no significant change or cannot be calculated.';
COMMENT ON COLUMN trends.year_on_year_significance IS 'Quarterly and monthly series: significant only when the 95% CIs of the latest period and the same period a year earlier do not overlap.';

-- target_status
COMMENT ON COLUMN target_status.indicator_id IS 'Catalogue indicator id.';
COMMENT ON COLUMN target_status.area_code IS 'Area the target is for: the home area, or the target''s own area (e.g. AGG-LEICS, Leicester and Leicestershire).';
COMMENT ON COLUMN target_status.period IS 'Canonical period label of the value judged.';
COMMENT ON COLUMN target_status.period_start IS 'First day of the period.';
COMMENT ON COLUMN target_status.sex IS 'Sex breakdown (the indicator''s headline breakdown).';
COMMENT ON COLUMN target_status.age IS 'Age breakdown (the indicator''s headline breakdown).';
COMMENT ON COLUMN target_status.category_type IS 'Category type of the headline breakdown; empty for the whole population.';
COMMENT ON COLUMN target_status.category IS 'Category of the headline breakdown; empty for the whole population.';
COMMENT ON COLUMN target_status.value IS 'The value judged against the target.';
COMMENT ON COLUMN target_status.target_kind IS 'value (fixed), trajectory (linear from a baseline through milestones) or national_average (England in the same period).';
COMMENT ON COLUMN target_status.target_direction IS 'at_least: the value must reach the target; at_most: it must not exceed it.';
COMMENT ON COLUMN target_status.tolerance IS 'Amber band: how far the value may miss the target and still be Amber (5% of the target unless the catalogue gives an absolute tolerance).';
COMMENT ON COLUMN target_status.target_description IS 'The target in the plan''s words (catalogue).';
COMMENT ON COLUMN target_status.target_reason IS 'Why there is no RAG for this period (e.g. no value, no England value, before the target applies).';
COMMENT ON COLUMN target_status.method IS 'Method name of the RAG rule.';

-- freshness
COMMENT ON COLUMN freshness.indicator_id IS 'Catalogue indicator id.';
COMMENT ON COLUMN freshness.frequency IS 'Expected update frequency from the catalogue (annual, quarterly, monthly, multi_year).';
COMMENT ON COLUMN freshness.publication_lag_months IS 'Months after the end of a period before its data is normally published (catalogue).';
COMMENT ON COLUMN freshness.period_kind IS 'Kind of period the indicator''s latest data uses (financial_year, calendar_year, academic_year, quarter, month, multi_year).';
COMMENT ON COLUMN freshness.run_date IS 'The day freshness was judged against (the day of the run).';
COMMENT ON COLUMN freshness.expected_end IS 'Last day of the period that should be available by the run date.';
COMMENT ON COLUMN freshness.latest_period IS 'Latest period loaded for the home area (or the target''s area).';
COMMENT ON COLUMN freshness.latest_end IS 'Last day of the latest period loaded.';

-- outcome board: further columns
COMMENT ON COLUMN outcome_board.area_name IS 'Name of the area the row is for (the home area, or the target''s own area).';
COMMENT ON COLUMN outcome_board.category_type IS 'Category type of the headline breakdown; empty for the whole population.';
COMMENT ON COLUMN outcome_board.category IS 'Category of the headline breakdown; empty for the whole population.';
COMMENT ON COLUMN outcome_board.ci_method IS 'Where the latest value''s confidence limits come from: published, or derived from counts (wilson, byar).';
COMMENT ON COLUMN outcome_board.comparator_mean IS 'Mean of the comparator group''s values in the latest period (spine chart).';
COMMENT ON COLUMN outcome_board.published_comparison IS 'The comparison with England the source itself published for the latest value, if any.';
COMMENT ON COLUMN outcome_board.compared_with_england_two_level IS 'Best/Better/Similar/Worse/Worst using the 95% and 99.8% CIs (Higher/Lower for no judgement).';
COMMENT ON COLUMN outcome_board.benchmark_method IS 'Method name of the England comparison.';
COMMENT ON COLUMN outcome_board.direction_method IS 'Method name of the direction of travel.';
COMMENT ON COLUMN outcome_board.year_on_year_significance IS 'Quarterly and monthly series: whether the change from the same period a year earlier is significant (CIs do not overlap).';
COMMENT ON COLUMN outcome_board.trend_disagrees IS 'True only when our recent trend and the published one are both calculable and differ.';
COMMENT ON COLUMN outcome_board.trend_periods IS 'The 5 periods the recent trend used, oldest first.';
COMMENT ON COLUMN outcome_board.target_kind IS 'value, trajectory or national_average (see target_status).';
COMMENT ON COLUMN outcome_board.target_method IS 'Method name of the RAG rule.';
COMMENT ON COLUMN outcome_board.target_reason IS 'Why there is no RAG for the latest period, when there is none.';
COMMENT ON COLUMN outcome_board.freshness_run_date IS 'The day overdue was judged against.';
