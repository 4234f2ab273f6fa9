// Each test starts its own Orleans cluster against one in-process mock Kafka; two at once only compete for 2 cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
