INSERT INTO profiles (user_id, business_name, category, city, district, description,
                      category_key, city_key, search_text, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (user_id) DO UPDATE SET
    business_name = excluded.business_name,
    category = excluded.category,
    city = excluded.city,
    district = excluded.district,
    description = excluded.description,
    category_key = excluded.category_key,
    city_key = excluded.city_key,
    search_text = excluded.search_text,
    updated_at = excluded.updated_at
