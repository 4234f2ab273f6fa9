// One platform, used one test at a time: the tests kill and restart its silo.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
