create table `writeback`.`product_fix` (
  `product_id` STRING,
  `category` STRING,
  `brand` STRING,
  `reason` STRING,
  `_scenario` STRING not null,
  `_version` INT64 not null,
  `_deleted` BOOL not null,
  `_set_columns` STRING,
  `_updated_by` STRING not null,
  `_updated_at` TIMESTAMP not null,
  `_entry_id` STRING not null,
  primary key (`_scenario`, `product_id`) not enforced
);
