create table if not exists `writeback`.`_wb_scenario_paths` (
  `scenario` STRING not null,
  `ancestor` STRING not null,
  `depth` INT64 not null,
  primary key (`scenario`, `ancestor`) not enforced
);
