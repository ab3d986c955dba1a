package dev.mcphealth.application.port.out;

class InMemoryOutboxTest extends OutboxContract {
    @Override
    protected OutboxPort outbox() {
        return new InMemoryOutbox();
    }
}
