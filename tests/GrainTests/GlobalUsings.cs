global using Payments.Actors.GrainTests.Infrastructure;
global using Payments.Actors.IntegrationTests.Infrastructure;
global using Xunit;
