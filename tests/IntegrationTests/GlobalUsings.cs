global using Payments.Actors.IntegrationTests.Infrastructure;
global using Xunit;
