create table `writeback`.`manual_products` (
  `id` STRING,
  `name` STRING,
  `category` STRING,
  `price` FLOAT64,
  `launched` DATE,
  `active` BOOL,
  `units` INT64,
  `checked_at` TIMESTAMP,
  `_scenario` STRING not null,
  `_version` INT64 not null,
  `_deleted` BOOL not null,
  `_set_columns` STRING,
  `_updated_by` STRING not null,
  `_updated_at` TIMESTAMP not null,
  `_entry_id` STRING not null,
  primary key (`_scenario`, `id`) not enforced
);
