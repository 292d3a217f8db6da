/**
 * The design most clinic systems use today, as the benchmark's peer: a plain Socket.IO server. Clients
 * join a room on connect; the app server emits `relay` after its database commit and the server fans
 * the event out to the room. Runs in its own process, like our stack. Prints `{"port":…}` when ready.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

const server = http.createServer();
const io = new Server(server, { perMessageDeflate: false, transports: ['websocket'], serveClient: false });

io.on('connection', (socket) => {
  const room = typeof socket.handshake.query.room === 'string' ? socket.handshake.query.room : 'clinic';
  void socket.join(room);
  // Relay from the app server (after commit) to everyone in the room, the sender excluded.
  socket.on('relay', (msg: { room: string; event: string; payload: unknown }) => {
    socket.to(msg.room).emit(msg.event, msg.payload);
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: (server.address() as AddressInfo).port }) + '\n');
});
process.on('SIGTERM', () => process.exit(0));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
