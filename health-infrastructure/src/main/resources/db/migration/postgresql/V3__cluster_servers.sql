-- Which shared servers each monitor knows (its configuration's remote servers): a server is divided among the live
-- monitors that know it, so that monitors whose configurations differ for a while (a rolling update) leave none
-- unprobed (docs/cluster.md). NULL: a monitor that does not say, taken to know every server.
ALTER TABLE monitor_instances ADD COLUMN servers TEXT[];
