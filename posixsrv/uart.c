// SPDX-License-Identifier: MIT
/*
 * The console's wire: a 16550 UART on COM1 (I/O ports 0x3f8-0x3ff, IRQ 4),
 * driven by interrupt messages.  Received bytes go to the console tty;
 * bytes to send wait in a ring and are fed to the 16-byte FIFO when the
 * transmitter-empty interrupt says there is room.  No polling loop: the
 * only busy wait is uart_drain() at power-off.
 *
 * The kernel keeps writing its own log to the same port by polling; its
 * lines may interleave with console output (harmless).
 */
#include "posixsrv.h"
#include "ring.h"

#define COM1       0x3f8
#define UART_IRQ   4
#define RBR        0 /* receive buffer (read) / THR transmit holding (write) */
#define IER        1
#define IIR        2 /* interrupt identification (read) / FCR FIFO control (write) */
#define LCR        3
#define MCR        4
#define LSR        5
#define LSR_DR     0x01
#define LSR_THRE   0x20
#define LSR_TEMT   0x40
#define IER_RX     0x01
#define IER_TX     0x02
#define FIFO_DEPTH 16
#define TX_RING    16384

static bool present;
static handle_t cap;
static struct ring tx;
static uint8_t txbuf[TX_RING];
static uint8_t ier;

static inline void
outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint8_t
inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

bool
uart_present(void)
{
	return present;
}

static void
set_ier(uint8_t v)
{
	if (v != ier)
		outb(COM1 + IER, ier = v);
}

/* Moves queued bytes into the FIFO while the transmitter has room. */
static void
fill_fifo(void)
{
	if (!(inb(COM1 + LSR) & LSR_THRE))
		return;
	uint8_t chunk[FIFO_DEPTH];
	uint32_t n = ring_get(&tx, chunk, FIFO_DEPTH);
	for (uint32_t i = 0; i < n; i++)
		outb(COM1 + RBR, chunk[i]);
	set_ier(ring_used(&tx) || n ? IER_RX | IER_TX : IER_RX);
}

/*
 * Claims COM1: I/O ports, line settings (115200 8N1, FIFOs), and IRQ 4
 * bound to our queue.  -FERRY_ENODEV if the port does not answer like a
 * 16550, else the kernel's status.
 */
int
uart_init(handle_t iocap)
{
	int rc = (int)ferry_sys_ioport_grant(iocap, 0, COM1, 8);
	if (rc)
		return rc;
	/* The kernel applies a grant to the calling task at once: no wait. */
	cap = iocap;
	ring_init(&tx, txbuf, TX_RING);
	/* Scratch register check: a missing UART reads back 0xff. */
	outb(COM1 + 7, 0x5a);
	if (inb(COM1 + 7) != 0x5a)
		return -FERRY_ENODEV;
	outb(COM1 + IER, 0);
	outb(COM1 + LCR, 0x80);
	outb(COM1 + 0, 1); /* divisor 1: 115200 baud */
	outb(COM1 + 1, 0);
	outb(COM1 + LCR, 0x03); /* 8N1 */
	outb(COM1 + IIR, 0x07); /* FIFOs on and cleared, interrupt at 1 byte */
	outb(COM1 + MCR, 0x0b); /* DTR, RTS, OUT2 (routes the interrupt to the PIC) */
	while (inb(COM1 + LSR) & LSR_DR)
		(void)inb(COM1 + RBR);
	if ((rc = (int)ferry_sys_irq_bind(iocap, UART_IRQ, px.queue, KEY(KEY_IRQ, UART_IRQ))))
		return rc;
	ier = 0;
	set_ier(IER_RX);
	present = true;
	return 0;
}

void
uart_irq(void)
{
	uint8_t in[64];
	size_t n = 0;
	/* Drain every pending cause: the PIC line is edge-triggered. */
	for (int guard = 0; guard < 64 && !(inb(COM1 + IIR) & 1); guard++) {
		while (inb(COM1 + LSR) & LSR_DR) {
			in[n++] = inb(COM1 + RBR);
			if (n == sizeof(in)) {
				tty_input(in, n);
				n = 0;
			}
		}
		fill_fifo();
		if (!ring_used(&tx))
			set_ier(IER_RX);
	}
	if (n)
		tty_input(in, n);
	fill_fifo();
	ferry_sys_irq_ack(cap, UART_IRQ);
	tty_tx_space();
}

size_t
uart_write(const uint8_t *s, size_t n)
{
	if (!present)
		return n; /* no console: output is dropped */
	uint32_t k = ring_put(&tx, s, (uint32_t)(n > TX_RING ? TX_RING : n));
	fill_fifo();
	return k;
}

size_t
uart_tx_space(void)
{
	return present ? ring_space(&tx) : TX_RING;
}

bool
uart_tx_idle(void)
{
	return !present || !ring_used(&tx);
}

void
uart_drain(void)
{
	if (!present)
		return;
	while (ring_used(&tx) || !(inb(COM1 + LSR) & LSR_TEMT)) {
		if (inb(COM1 + LSR) & LSR_THRE) {
			uint8_t c;
			if (ring_get(&tx, &c, 1))
				outb(COM1 + RBR, c);
		}
	}
	set_ier(0);
}
