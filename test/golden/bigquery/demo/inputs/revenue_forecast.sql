create table `writeback`.`revenue_forecast` (
  `account_id` STRING,
  `quarter` STRING,
  `amount` NUMERIC(18, 2),
  `confidence` STRING,
  `note` STRING,
  `status` STRING,
  `_scenario` STRING not null,
  `_version` INT64 not null,
  `_deleted` BOOL not null,
  `_set_columns` STRING,
  `_updated_by` STRING not null,
  `_updated_at` TIMESTAMP not null,
  `_entry_id` STRING not null,
  primary key (`_scenario`, `account_id`, `quarter`) not enforced
);
