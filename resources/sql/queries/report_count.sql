SELECT count(*) FROM reports
