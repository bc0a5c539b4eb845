SELECT u.id, u.display_name, p.business_name, p.category, p.city, p.district, p.description
FROM users u
JOIN profiles p ON p.user_id = u.id
WHERE u.id = $1 AND u.role = 'tradesman' AND u.banned_at IS NULL
