create table if not exists `writeback`.`_wb_model_versions` (
  `model` STRING not null,
  `version` INT64 not null,
  `fingerprint` STRING not null,
  `sql` STRING not null,
  `applied_at` TIMESTAMP not null,
  `applied_by` STRING not null,
  primary key (`model`, `version`) not enforced
);
