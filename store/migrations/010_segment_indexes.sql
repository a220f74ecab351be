-- Segments (contract section 5) are evaluated in the store at each campaign run: the indexes
-- that let one query select 100,000 contacts in well under a second. Tags and attribute
-- equality are containment (`@>`) tests, served by GIN; `attributes ? name` (exists) by the
-- default jsonb_ops class of the attributes index. Fields by btree, erased contacts left out.
create index contacts_tags_gin on contacts using gin (tags jsonb_path_ops);
create index contacts_attributes_gin on contacts using gin (attributes);
create index contacts_country_idx on contacts (country) where erased_at is null;
create index contacts_locale_idx on contacts (locale) where erased_at is null;
create index contacts_customer_type_idx on contacts (customer_type) where erased_at is null;
