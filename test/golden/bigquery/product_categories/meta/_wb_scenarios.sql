create table if not exists `writeback`.`_wb_scenarios` (
  `name` STRING not null,
  `parent` STRING not null,
  `description` STRING,
  `created_by` STRING not null,
  `created_at` TIMESTAMP not null,
  `archived_by` STRING,
  `archived_at` TIMESTAMP,
  primary key (`name`) not enforced
);
