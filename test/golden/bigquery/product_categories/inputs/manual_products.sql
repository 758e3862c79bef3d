create table `writeback`.`manual_products` (
  `id` STRING,
  `name` STRING,
  `category` STRING,
  `brand` STRING,
  `list_price` NUMERIC(10, 2),
  `_scenario` STRING not null,
  `_version` INT64 not null,
  `_deleted` BOOL not null,
  `_set_columns` STRING,
  `_updated_by` STRING not null,
  `_updated_at` TIMESTAMP not null,
  `_entry_id` STRING not null,
  primary key (`_scenario`, `id`) not enforced
);
