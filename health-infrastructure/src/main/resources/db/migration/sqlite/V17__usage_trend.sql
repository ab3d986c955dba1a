-- Each server type's demand trend (docs/learning.md, "The demand trend"), kept with its profile's row so that a restart
-- goes on measuring where it stopped: the day under way (an epoch day of the learned week, its calls, and the calls its
-- profile's shape expected of them, in week-mean minutes), the discounted least-squares line through the days' log
-- levels (the start of its newest day, NULL before the first, and its nine running sums: weights, ages, ages squared,
-- levels, ages x levels, levels squared, and the squared weights' three), the usual deviation of a day from the line,
-- the days counted, and the days in a row left out just before. All NULL: no trend (a tool's profile, or a row saved
-- before it was kept).
ALTER TABLE usage_profiles ADD COLUMN trend_day INTEGER;
ALTER TABLE usage_profiles ADD COLUMN trend_day_calls REAL CHECK (trend_day_calls IS NULL OR trend_day_calls >= 0);
ALTER TABLE usage_profiles ADD COLUMN trend_day_expected REAL CHECK (trend_day_expected IS NULL OR trend_day_expected >= 0);
ALTER TABLE usage_profiles ADD COLUMN trend_line_at DATETIME;
ALTER TABLE usage_profiles ADD COLUMN trend_s0 REAL;
ALTER TABLE usage_profiles ADD COLUMN trend_s1 REAL;
ALTER TABLE usage_profiles ADD COLUMN trend_s2 REAL;
ALTER TABLE usage_profiles ADD COLUMN trend_sy REAL;
ALTER TABLE usage_profiles ADD COLUMN trend_sxy REAL;
ALTER TABLE usage_profiles ADD COLUMN trend_syy REAL;
ALTER TABLE usage_profiles ADD COLUMN trend_q0 REAL;
ALTER TABLE usage_profiles ADD COLUMN trend_q1 REAL;
ALTER TABLE usage_profiles ADD COLUMN trend_q2 REAL;
ALTER TABLE usage_profiles ADD COLUMN trend_spread REAL CHECK (trend_spread IS NULL OR trend_spread >= 0);
ALTER TABLE usage_profiles ADD COLUMN trend_days INTEGER CHECK (trend_days IS NULL OR trend_days >= 0);
ALTER TABLE usage_profiles ADD COLUMN trend_outliers INTEGER CHECK (trend_outliers IS NULL OR trend_outliers >= 0);
