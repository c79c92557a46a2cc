-- Each receptionist's room (phòng khám) as set by an administrator: the desk's default room.
ALTER TABLE "User" ADD COLUMN "assignedRoomId" UUID;
ALTER TABLE "User" ADD CONSTRAINT "User_assignedRoomId_fkey" FOREIGN KEY ("assignedRoomId") REFERENCES "Room"("id") ON DELETE SET NULL ON UPDATE CASCADE;
