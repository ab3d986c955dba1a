-- Each server type's demand trend (docs/learning.md, "The demand trend"), kept with its profile's row so that a restart
-- goes on measuring where it stopped: the day under way (an epoch day of the learned week, its calls, and the calls its
-- profile's shape expected of them, in week-mean minutes), the first and the last day counted, the discounted sums of
-- the least-squares line through the days' levels (weights, days, days squared, log levels, days x log levels, the days
-- counted from trend_origin), the usual deviation of a day from the line, the days counted, and the days in a row left
-- out just before. NULL: no trend (a tool's profile, or rows saved before it was kept).
ALTER TABLE usage_profiles ADD COLUMN trend_day INTEGER;
ALTER TABLE usage_profiles ADD COLUMN trend_day_calls REAL CHECK (trend_day_calls IS NULL OR trend_day_calls >= 0);
ALTER TABLE usage_profiles ADD COLUMN trend_day_expected REAL CHECK (trend_day_expected IS NULL OR trend_day_expected >= 0);
ALTER TABLE usage_profiles ADD COLUMN trend_origin INTEGER;
ALTER TABLE usage_profiles ADD COLUMN trend_last INTEGER;
ALTER TABLE usage_profiles ADD COLUMN trend_w REAL CHECK (trend_w IS NULL OR trend_w >= 0);
ALTER TABLE usage_profiles ADD COLUMN trend_wt REAL;
ALTER TABLE usage_profiles ADD COLUMN trend_wtt REAL CHECK (trend_wtt IS NULL OR trend_wtt >= 0);
ALTER TABLE usage_profiles ADD COLUMN trend_wy REAL;
ALTER TABLE usage_profiles ADD COLUMN trend_wty REAL;
ALTER TABLE usage_profiles ADD COLUMN trend_spread REAL CHECK (trend_spread IS NULL OR trend_spread >= 0);
ALTER TABLE usage_profiles ADD COLUMN trend_days INTEGER CHECK (trend_days IS NULL OR trend_days >= 0);
ALTER TABLE usage_profiles ADD COLUMN trend_outliers INTEGER CHECK (trend_outliers IS NULL OR trend_outliers >= 0);
