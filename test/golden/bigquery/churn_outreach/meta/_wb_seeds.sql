create table if not exists `writeback`.`_wb_seeds` (
  `file` STRING not null,
  `schema` STRING not null,
  `table` STRING not null,
  `fingerprint` STRING not null,
  `loaded_at` TIMESTAMP not null,
  primary key (`file`) not enforced
);
