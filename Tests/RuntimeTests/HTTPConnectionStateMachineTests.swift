import OzziTestSupport
import Testing
@testable import OzziRuntime

@Suite struct HTTPConnectionStateMachineTests {
    typealias Machine = HTTPConnectionStateMachine

    @Test func keepAliveRequestCycle() {
        var machine = Machine()
        #expect(machine.parsed(phase: .head, expectsContinue: false) == .arm(.head))
        #expect(machine.parsed(phase: .head, expectsContinue: false) == .none)
        #expect(machine.parsed(phase: .body, expectsContinue: false) == .arm(.body))
        #expect(machine.parsed(phase: .body, expectsContinue: false) == .arm(.body))
        #expect(machine.requestComplete() == .dispatch)
        #expect(machine.state == .responding)
        #expect(machine.responseComplete(keepAlive: true) == .resume)
        #expect(machine.state == .idle)
    }

    @Test func connectionCloseEndsAfterResponse() {
        var machine = Machine()
        _ = machine.requestComplete()
        #expect(machine.responseComplete(keepAlive: false) == .close)
        #expect(machine.state == .closed)
    }

    @Test func expectContinueIsAnsweredOnce() {
        var machine = Machine()
        _ = machine.parsed(phase: .head, expectsContinue: false)
        #expect(machine.parsed(phase: .body, expectsContinue: true) == .sendContinueAndArm)
        #expect(machine.parsed(phase: .body, expectsContinue: true) == .arm(.body))
    }

    @Test func timeoutsDependOnState() {
        var idle = Machine()
        #expect(idle.timerFired() == .close)

        var slowHead = Machine()
        _ = slowHead.parsed(phase: .head, expectsContinue: false)
        #expect(slowHead.timerFired() == .refuse(status: 408))

        var slowBody = Machine()
        _ = slowBody.parsed(phase: .body, expectsContinue: false)
        #expect(slowBody.timerFired() == .refuse(status: 408))

        var busy = Machine()
        _ = busy.requestComplete()
        #expect(busy.timerFired() == .none)
    }

    @Test func parseFailureRefusesOnce() {
        var machine = Machine()
        #expect(machine.parseFailed(status: 400) == .refuse(status: 400))
        #expect(machine.parseFailed(status: 400) == .none)
        #expect(machine.requestComplete() == .none)
    }

    @Test func halfCloseStillGetsItsAnswer() {
        var machine = Machine()
        _ = machine.requestComplete()
        #expect(machine.peerClosed() == .none)
        #expect(machine.responseComplete(keepAlive: true) == .close)
    }

    @Test func shutdownClosesIdleAtOnceAndBusyAfterResponse() {
        var idle = Machine()
        #expect(idle.shutdown() == .close)

        var busy = Machine()
        _ = busy.requestComplete()
        #expect(busy.shutdown() == .none)
        #expect(busy.responseComplete(keepAlive: true) == .close)
    }

    @Test func upgradedConnectionsIgnoreHTTPTimers() {
        var machine = Machine()
        _ = machine.requestComplete()
        machine.upgraded()
        #expect(machine.state == .upgraded)
        #expect(machine.timerFired() == .none)
        #expect(machine.responseComplete(keepAlive: true) == .none)
    }

    @Test func aStreamedBodyRunsTheHandlerWhileItIsRead() {
        var machine = Machine()
        _ = machine.parsed(phase: .head, expectsContinue: false)
        #expect(machine.bodyStreamStarted(expectsContinue: false) == .arm(.body))
        #expect(machine.state == .streamingBody)
        #expect(machine.parsed(phase: .body, expectsContinue: false) == .arm(.body))
        #expect(machine.requestComplete() == .finishBody)
        #expect(machine.state == .responding)
        #expect(machine.responseComplete(keepAlive: true) == .resume)

        var continued = Machine()
        #expect(continued.bodyStreamStarted(expectsContinue: true) == .sendContinueAndArm)
    }

    @Test func anAnswerBeforeTheBodyEndedClosesTheConnection() {
        var machine = Machine()
        _ = machine.bodyStreamStarted(expectsContinue: false)
        #expect(machine.responseComplete(keepAlive: true) == .abandonBody)
        #expect(machine.state == .closed)
    }

    @Test func aStreamedBodyThatFailsIsFailedToTheHandlerWhichStillAnswers() {
        for (event, status) in [("timer", 408), ("parse", 413), ("eof", 400)] {
            var machine = Machine()
            _ = machine.bodyStreamStarted(expectsContinue: false)
            let action = switch event {
            case "timer": machine.timerFired()
            case "parse": machine.parseFailed(status: 413)
            default: machine.peerClosed()
            }
            #expect(action == .failBody(status: status), "\(event)")
            #expect(machine.state == .responding)
            #expect(machine.responseComplete(keepAlive: true) == .close, "a failed body never keeps the connection")
        }
    }
}
