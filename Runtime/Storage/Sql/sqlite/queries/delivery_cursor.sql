-- Where a subscriber's delivery resumes: after the last message that is done (delivered or given up).
SELECT COALESCE(MAX(seq), 0) FROM deliveries WHERE subscriber = @subscriber AND status <> 'pending';
