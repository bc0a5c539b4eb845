-- $1 category key, $2 city key, $3 LIKE pattern on search_text ('' = any).
SELECT u.id, u.display_name, p.business_name, p.category, p.city, p.district, p.description
FROM profiles p
JOIN users u ON u.id = p.user_id
WHERE u.role = 'tradesman' AND u.banned_at IS NULL
  AND ($1 = '' OR p.category_key = $1)
  AND ($2 = '' OR p.city_key = $2)
  AND ($3 = '' OR p.search_text LIKE $3 ESCAPE '\')
ORDER BY u.id
LIMIT $4 OFFSET $5
